package io.parley.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each overlay is for: prod runs one Deployment per service, dev one standalone pod. */
class TopologyTest {
  private static final Map<String, String> PROD_IMAGES =
      Map.of("parley-auth", "auth", "parley-room", "room", "parley-message", "message", "parley-gateway", "gateway");

  @Test
  void prodRunsOneDeploymentPerServiceAndNoDatastore() {
    Rendered prod = Overlays.get("prod");
    List<String> images = new ArrayList<>();
    for (Deployment d : prod.all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        assertThat(Rendered.isParley(c))
            .as("%s runs %s: prod uses external PostgreSQL and Redis, nothing else in the namespace", Rendered.id(d), c.getImage())
            .isTrue();
        String image = Rendered.imageName(c.getImage());
        images.add(image);
        assertThat(Rendered.podLabels(d)).as(Rendered.id(d)).containsEntry("app.kubernetes.io/component", PROD_IMAGES.get(image));
      }
    }
    assertThat(images).containsExactlyInAnyOrderElementsOf(PROD_IMAGES.keySet());
  }

  @Test
  void prodRunsAtLeastTwoReplicasOfEveryServiceAndGuardsEachWithADisruptionBudget() {
    Rendered prod = Overlays.get("prod");
    for (Deployment d : prod.all(Deployment.class)) {
      assertThat(EveryOverlayTest.minimumReplicas(prod, d)).as("replicas of %s", Rendered.id(d)).isGreaterThanOrEqualTo(2);
      assertThat(prod.all(PodDisruptionBudget.class))
          .as("a PodDisruptionBudget for %s", Rendered.id(d))
          .anyMatch(p -> Rendered.matches(p.getSpec().getSelector(), Rendered.podLabels(d)));
    }
  }

  @Test
  void theHorizontalPodAutoscalerScalesTheMessageServiceOnCpu() {
    Rendered prod = Overlays.get("prod");
    List<HorizontalPodAutoscaler> hpas = prod.all(HorizontalPodAutoscaler.class);
    assertThat(hpas).as("HorizontalPodAutoscalers in prod").hasSize(1);
    HorizontalPodAutoscaler hpa = hpas.get(0);
    var ref = hpa.getSpec().getScaleTargetRef();
    assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
    assertThat(ref.getKind()).isEqualTo("Deployment");
    Deployment target = prod.named(Deployment.class, ref.getName())
        .orElseThrow(() -> new AssertionError("the HPA targets Deployment " + ref.getName() + ", which is not rendered"));
    assertThat(Rendered.podLabels(target)).containsEntry("app.kubernetes.io/component", "message");
    assertThat(Rendered.containers(target)).allSatisfy(c -> assertThat(Rendered.imageName(c.getImage())).isEqualTo("parley-message"));
    assertThat(target.getSpec().getReplicas())
        .as("%s sets replicas, so every `kubectl apply` would undo the autoscaler", Rendered.id(target))
        .isNull();
    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
    List<MetricSpec> metrics = hpa.getSpec().getMetrics();
    assertThat(metrics)
        .anyMatch(m -> "Resource".equals(m.getType()) && "cpu".equals(m.getResource().getName())
            && "Utilization".equals(m.getResource().getTarget().getType())
            && m.getResource().getTarget().getAverageUtilization() != null);
    assertThat(Rendered.containers(target))
        .as("CPU utilisation is relative to the request: every container needs one")
        .allSatisfy(c -> assertThat(c.getResources().getRequests()).containsKey("cpu"));
  }

  @Test
  void prodExposesTheGatewayClientPortsAndKeepsClientAddresses() {
    Rendered prod = Overlays.get("prod");
    Service gateway = prod.named(Service.class, "parley-gateway").orElseThrow();
    assertThat(gateway.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(gateway.getSpec().getExternalTrafficPolicy())
        .as("per-address sign-up and login limits need the client's address")
        .isEqualTo("Local");
    assertThat(gateway.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactlyInAnyOrder("tcp:7400", "ws:7401");
  }

  @Test
  void gatewaysAreNamedForTheirPodSoDeliveriesReachThem() {
    for (String overlay : List.of("prod", "dev")) {
      Rendered r = Overlays.get(overlay);
      for (Deployment d : r.all(Deployment.class)) {
        for (Container c : Rendered.containers(d)) {
          if (!EveryOverlayTest.CONNECTION_IMAGES.contains(Rendered.imageName(c.getImage()))) {
            continue;
          }
          Rendered.EnvValue node = r.environment(d, c, new ArrayList<>()).get("PARLEY_NODE_ID");
          assertThat(node).as("%s %s PARLEY_NODE_ID", overlay, Rendered.id(d)).isNotNull();
          assertThat(node.from()).as("%s %s PARLEY_NODE_ID", overlay, Rendered.id(d)).isEqualTo("field metadata.name");
        }
      }
    }
  }

  @Test
  void prodRendersNoSecretSoNoKeyOrPasswordLivesInGit() {
    assertThat(Overlays.get("prod").all(Secret.class)).isEmpty();
  }

  @Test
  void devRunsOneStandalonePodOnTheLocalBus() {
    Rendered dev = Overlays.get("dev");
    List<Deployment> parley = dev.all(Deployment.class).stream()
        .filter(d -> Rendered.containers(d).stream().anyMatch(Rendered::isParley))
        .toList();
    assertThat(parley).hasSize(1);
    Deployment standalone = parley.get(0);
    assertThat(Rendered.containers(standalone)).extracting(c -> Rendered.imageName(c.getImage())).containsExactly("parley-standalone");
    assertThat(standalone.getSpec().getReplicas()).isEqualTo(1);
    assertThat(standalone.getSpec().getStrategy().getType()).as("its volume is ReadWriteOnce").isEqualTo("Recreate");
    Container c = Rendered.containers(standalone).get(0);
    assertThat(EveryOverlayTest.clustered(dev.environment(standalone, c, new ArrayList<>()))).isFalse();
    assertThat(dev.all(HorizontalPodAutoscaler.class)).isEmpty();
  }

  @Test
  void devDatastoreUrlsPointAtTheInClusterPostgresAndRedis() {
    Rendered dev = Overlays.get("dev");
    Map<String, String> data = dev.named(Secret.class, "parley-datastores").orElseThrow().getStringData();
    URI pg = URI.create(data.get("PARLEY_PG_URL"));
    URI redis = URI.create(data.get("PARLEY_REDIS_URL"));
    assertThat(pg.getScheme()).isEqualTo("postgresql");
    assertThat(redis.getScheme()).isEqualTo("redis");
    for (URI uri : List.of(pg, redis)) {
      Service s = dev.named(Service.class, uri.getHost())
          .orElseThrow(() -> new AssertionError(uri.getHost() + " is no rendered Service"));
      assertThat(s.getSpec().getPorts()).as(Rendered.id(s)).anyMatch(p -> p.getPort() == uri.getPort());
    }
    assertThat(pg.getUserInfo()).as("the password in PARLEY_PG_URL is PostgreSQL's")
        .isEqualTo("parley:" + data.get("POSTGRES_PASSWORD"));
  }
}
