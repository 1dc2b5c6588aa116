package io.parley.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clustered event bus carries passwords, tokens and internal requests: every member runs it on
 * mutual TLS, and only members reach the cluster ports (Hazelcast's own port has no TLS at all).
 */
class ClusterBusTest {
  static final List<String> TLS_FILES =
      List.of("PARLEY_CLUSTER_TLS_CA_FILE", "PARLEY_CLUSTER_TLS_CERT_FILE", "PARLEY_CLUSTER_TLS_KEY_FILE");
  static final Set<String> CLUSTER_PORTS = Set.of("hazelcast", "eventbus");
  /** Any other pod someone starts in the namespace: a debug shell, a compromised sidecar. */
  static final Map<String, String> INTRUDER = Map.of("app.kubernetes.io/name", "debug-shell");

  static List<String> overlays() {
    return Overlays.names();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyClusterMemberRunsTheBusOnMutualTlsAndNoneOnThePlaintextSwitch(String overlay) {
    Rendered r = Overlays.get(overlay);
    List<String> problems = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        Map<String, Rendered.EnvValue> env = r.environment(d, c, problems);
        if (!Rendered.isParley(c) || !EveryOverlayTest.clustered(env)) {
          continue;
        }
        for (String name : TLS_FILES) {
          Rendered.EnvValue value = env.get(name);
          if (value == null || value.literal() == null || value.literal().isEmpty()) {
            problems.add(Rendered.id(d) + " container " + c.getName() + ": " + name + " is not set, so the process refuses to start");
          }
        }
        Rendered.EnvValue insecure = env.get("PARLEY_CLUSTER_INSECURE_BUS");
        if (insecure != null && !"false".equals(insecure.literal())) {
          problems.add(Rendered.id(d) + " container " + c.getName() + ": PARLEY_CLUSTER_INSECURE_BUS is "
              + (insecure.literal() == null ? "from " + insecure.from() : insecure.literal()) + "; a deployment never runs a plaintext bus");
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void onlyClusterMembersReachTheClusterPorts(String overlay) {
    Rendered r = Overlays.get(overlay);
    Reachability net = new Reachability(r.all(NetworkPolicy.class));
    List<Map<String, String>> outsiders = new ArrayList<>();
    outsiders.add(Reachability.OUTSIDE);
    outsiders.add(INTRUDER);
    for (Deployment d : r.all(Deployment.class)) {
      if (!"true".equals(Rendered.podLabels(d).get("parley.io/cluster-member"))) {
        outsiders.add(Rendered.podLabels(d));
      }
    }
    List<String> problems = new ArrayList<>();
    for (Deployment target : r.all(Deployment.class)) {
      for (Container c : Rendered.containers(target)) {
        for (ContainerPort port : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
          if (!CLUSTER_PORTS.contains(port.getName())) {
            continue;
          }
          for (Map<String, String> source : outsiders) {
            if (net.allowed(source, Rendered.podLabels(target), port)) {
              problems.add((source == Reachability.OUTSIDE ? "anything outside the namespace" : "a pod labelled " + source)
                  + " reaches " + Rendered.id(target) + " on " + port.getName());
            }
          }
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }
}
