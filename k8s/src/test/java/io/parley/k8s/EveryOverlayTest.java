package io.parley.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What must hold in every overlay, whatever its topology. */
class EveryOverlayTest {
  /**
   * A Parley container's ports are named for the setting that decides where the process listens;
   * the number in the manifest must be that setting's value, or probes and Services miss the port.
   */
  static final Map<String, String> PORT_SETTINGS =
      Map.of(
          "http", "PARLEY_HTTP_PORT",
          "tcp", "PARLEY_TCP_PORT",
          "ws", "PARLEY_WS_PORT",
          "hazelcast", "PARLEY_CLUSTER_PORT",
          "eventbus", "PARLEY_EVENTBUS_PORT");

  /** The only ports anything outside the namespace may reach: the gateways' client ports. */
  static final Set<String> CLIENT_PORTS = Set.of("tcp", "ws");

  static final Set<String> CONNECTION_IMAGES = Set.of("parley-gateway", "parley-standalone");

  static List<String> overlays() {
    return Overlays.names();
  }

  @Test
  void theDevAndProdOverlaysExist() {
    assertThat(overlays()).contains("dev", "prod");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void rendersAndEveryDocumentMatchesItsSchemaStrictly(String overlay) {
    Rendered r = Overlays.get(overlay);
    assertThat(r.all(Deployment.class)).as("Deployments in %s", overlay).isNotEmpty();
    assertThat(r.all(Service.class)).as("Services in %s", overlay).isNotEmpty();
    assertThat(r.all(NetworkPolicy.class)).as("NetworkPolicies in %s", overlay).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyParleySettingIsOneTheCodeReads(String overlay) {
    Set<String> declared = ParleySettings.declaredInConfigKey();
    assertThat(declared)
        .as("PARLEY_* names parsed from %s (is the parse still right?)", ParleySettings.CONFIG_KEY)
        .hasSizeGreaterThan(20)
        .contains("PARLEY_PG_URL", "PARLEY_TCP_PORT", "PARLEY_IDENTITY_KEY_FILE");
    Set<String> unknown = new TreeSet<>(ParleySettings.mentionedIn(Overlays.get(overlay).yaml));
    unknown.removeAll(ParleySettings.known());
    assertThat(unknown)
        .as("%s sets PARLEY_* names that ConfigKey.java does not declare:"
            + " the process would ignore them (a typo?)", overlay)
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyContainerHasLivenessAndReadinessProbesAndResourceRequestsAndLimits(String overlay) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : Overlays.get(overlay).all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        String where = Rendered.id(d) + " container " + c.getName();
        if (!hasAction(c.getLivenessProbe())) {
          problems.add(where + ": no liveness probe");
        }
        if (!hasAction(c.getReadinessProbe())) {
          problems.add(where + ": no readiness probe");
        }
        for (String resource : List.of("cpu", "memory")) {
          if (c.getResources() == null || c.getResources().getRequests() == null
              || c.getResources().getRequests().get(resource) == null) {
            problems.add(where + ": no " + resource + " request");
          }
          if (c.getResources() == null || c.getResources().getLimits() == null
              || c.getResources().getLimits().get(resource) == null) {
            problems.add(where + ": no " + resource + " limit");
          }
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyPodRunsAsNonRootOnAReadOnlyRootWithTmpOnAnEmptyDir(String overlay) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : Overlays.get(overlay).all(Deployment.class)) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      PodSecurityContext podSecurity = pod.getSecurityContext();
      if (podSecurity == null || podSecurity.getSeccompProfile() == null
          || !"RuntimeDefault".equals(podSecurity.getSeccompProfile().getType())) {
        problems.add(Rendered.id(d) + ": pod seccompProfile is not RuntimeDefault");
      }
      if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
        problems.add(Rendered.id(d) + ": automountServiceAccountToken is not false (nothing here calls the API)");
      }
      if (!Boolean.FALSE.equals(pod.getEnableServiceLinks())) {
        problems.add(Rendered.id(d) + ": enableServiceLinks is not false (service links inject"
            + " PARLEY_<SERVICE>_PORT-style variables beside the real settings)");
      }
      for (Container c : Rendered.containers(d)) {
        String where = Rendered.id(d) + " container " + c.getName();
        SecurityContext sc = c.getSecurityContext();
        boolean nonRoot = (sc != null && Boolean.TRUE.equals(sc.getRunAsNonRoot()))
            || (podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot()));
        if (!nonRoot) {
          problems.add(where + ": runAsNonRoot is not true");
        }
        Long uid = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
            : podSecurity != null ? podSecurity.getRunAsUser() : null;
        if (uid == null || uid == 0) {
          problems.add(where + ": no non-zero runAsUser (runAsNonRoot alone fails on images whose USER is a name)");
        }
        if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
          problems.add(where + ": readOnlyRootFilesystem is not true");
        }
        if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
          problems.add(where + ": allowPrivilegeEscalation is not false");
        }
        Capabilities caps = sc == null ? null : sc.getCapabilities();
        if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
          problems.add(where + ": capabilities do not drop ALL");
        }
        if (caps != null && caps.getAdd() != null && !caps.getAdd().isEmpty()) {
          problems.add(where + ": adds capabilities " + caps.getAdd());
        }
        Optional<VolumeMount> tmp = mounts(c).stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst();
        if (tmp.isEmpty() || volume(pod, tmp.get().getName()).map(Volume::getEmptyDir).isEmpty()) {
          problems.add(where + ": /tmp is not an emptyDir (the root file system is read-only)");
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyConfigMapSecretVolumeAndClaimReferenceResolves(String overlay) {
    Rendered r = Overlays.get(overlay);
    List<String> problems = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      for (Container c : Rendered.containers(d)) {
        r.environment(d, c, problems);
        for (VolumeMount m : mounts(c)) {
          if (volume(pod, m.getName()).isEmpty()) {
            problems.add(Rendered.id(d) + " container " + c.getName() + ": mounts undeclared volume " + m.getName());
          }
        }
      }
      for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
        String where = Rendered.id(d) + " volume " + v.getName();
        if (v.getSecret() != null) {
          Optional<Set<String>> keys = r.secretKeys(v.getSecret().getSecretName());
          if (keys.isEmpty()) {
            problems.add(where + ": Secret " + v.getSecret().getSecretName()
                + " is neither rendered nor a k8s/secrets template");
          } else {
            for (KeyToPath item : items(v.getSecret().getItems())) {
              if (!keys.get().contains(item.getKey())) {
                problems.add(where + ": Secret " + v.getSecret().getSecretName() + " has no key " + item.getKey());
              }
            }
          }
        }
        if (v.getConfigMap() != null) {
          Optional<Map<String, String>> data = r.configMapData(v.getConfigMap().getName());
          if (data.isEmpty()) {
            problems.add(where + ": ConfigMap " + v.getConfigMap().getName() + " is not rendered");
          } else {
            for (KeyToPath item : items(v.getConfigMap().getItems())) {
              if (!data.get().containsKey(item.getKey())) {
                problems.add(where + ": ConfigMap " + v.getConfigMap().getName() + " has no key " + item.getKey());
              }
            }
          }
        }
        if (v.getPersistentVolumeClaim() != null && !r.pvcExists(v.getPersistentVolumeClaim().getClaimName())) {
          problems.add(where + ": PersistentVolumeClaim " + v.getPersistentVolumeClaim().getClaimName() + " is not rendered");
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  /** Every PARLEY_*_FILE setting points at a file a volume provides (a Secret item, or a writable volume). */
  @ParameterizedTest
  @MethodSource("overlays")
  void everyKeyFileSettingPointsIntoAMountedVolume(String overlay) {
    Rendered r = Overlays.get(overlay);
    List<String> problems = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      for (Container c : Rendered.containers(d)) {
        Map<String, Rendered.EnvValue> env = r.environment(d, c, new ArrayList<>());
        env.forEach((name, value) -> {
          if (!name.startsWith("PARLEY_") || !name.endsWith("_FILE") || value.literal() == null || value.literal().isEmpty()) {
            return;
          }
          String path = value.literal();
          String where = Rendered.id(d) + " container " + c.getName() + " " + name + "=" + path;
          Optional<VolumeMount> mount = mounts(c).stream()
              .filter(m -> path.startsWith(m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/"))
              .findFirst();
          if (mount.isEmpty()) {
            problems.add(where + ": no volume is mounted there (the root file system is read-only)");
            return;
          }
          Volume v = volume(pod, mount.get().getName()).orElse(null);
          if (v != null && v.getSecret() != null) {
            String file = path.substring(mount.get().getMountPath().length()).replaceFirst("^/", "");
            List<KeyToPath> items = items(v.getSecret().getItems());
            boolean provided = items.isEmpty()
                ? r.secretKeys(v.getSecret().getSecretName()).map(k -> k.contains(file)).orElse(false)
                : items.stream().anyMatch(i -> i.getPath().equals(file));
            if (!provided) {
              problems.add(where + ": Secret volume " + v.getName() + " does not provide " + file);
            }
          }
        });
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void parleyContainerPortsAndProbesUseThePortsTheSettingsName(String overlay) {
    Rendered r = Overlays.get(overlay);
    List<String> problems = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        if (!Rendered.isParley(c)) {
          continue;
        }
        String where = Rendered.id(d) + " container " + c.getName();
        Map<String, Rendered.EnvValue> env = r.environment(d, c, problems);
        List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
        for (ContainerPort p : ports) {
          String setting = PORT_SETTINGS.get(p.getName());
          if (setting == null) {
            problems.add(where + ": port " + p.getContainerPort() + " is named '" + p.getName()
                + "', not one of " + PORT_SETTINGS.keySet());
            continue;
          }
          Rendered.EnvValue value = env.get(setting);
          if (value == null || value.literal() == null) {
            problems.add(where + ": declares port " + p.getName() + " but does not set " + setting);
          } else if (!value.literal().equals(String.valueOf(p.getContainerPort()))) {
            problems.add(where + ": port " + p.getName() + " is " + p.getContainerPort() + " but "
                + setting + "=" + value.literal());
          }
        }
        Set<String> required = new TreeSet<>(Set.of("http"));
        if (CONNECTION_IMAGES.contains(Rendered.imageName(c.getImage()))) {
          required.addAll(CLIENT_PORTS);
        }
        if (clustered(env)) {
          required.addAll(Set.of("hazelcast", "eventbus"));
        }
        for (String name : required) {
          if (ports.stream().noneMatch(p -> name.equals(p.getName()))) {
            problems.add(where + ": does not declare its '" + name + "' port");
          }
        }
        checkProbe(where + " liveness", c.getLivenessProbe(), "/health/live", ports, env, problems);
        checkProbe(where + " readiness", c.getReadinessProbe(), "/health/ready", ports, env, problems);
        if (c.getStartupProbe() != null) {
          checkProbe(where + " startup", c.getStartupProbe(), "/health/live", ports, env, problems);
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void deploymentSelectorsMatchTheirOwnPodsOnlyAndAServiceSelectsEach(String overlay) {
    Rendered r = Overlays.get(overlay);
    List<String> problems = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      var selector = d.getSpec().getSelector();
      if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
        problems.add(Rendered.id(d) + ": selector has no matchLabels");
        continue;
      }
      if (!Rendered.matches(selector, Rendered.podLabels(d))) {
        problems.add(Rendered.id(d) + ": selector " + selector.getMatchLabels()
            + " does not match its pod labels " + Rendered.podLabels(d));
      }
      for (Deployment other : r.all(Deployment.class)) {
        if (other != d && Rendered.matches(selector, Rendered.podLabels(other))) {
          problems.add(Rendered.id(d) + ": selector also matches the pods of " + Rendered.id(other));
        }
      }
      if (r.servicesSelecting(d).isEmpty()) {
        problems.add(Rendered.id(d) + ": no Service selects its pods");
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyServiceSelectsPodsAndTargetsPortsTheyDeclare(String overlay) {
    Rendered r = Overlays.get(overlay);
    List<String> problems = new ArrayList<>();
    for (Service s : r.all(Service.class)) {
      List<Deployment> selected = r.selectedBy(s);
      if (selected.isEmpty()) {
        problems.add(Rendered.id(s) + ": selector " + s.getSpec().getSelector() + " selects no Deployment's pods");
      }
      for (ServicePort port : s.getSpec().getPorts()) {
        for (Deployment d : selected) {
          List<ContainerPort> declared = Rendered.containers(d).stream()
              .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
              .toList();
          var target = port.getTargetPort() != null ? port.getTargetPort()
              : new io.fabric8.kubernetes.api.model.IntOrString(port.getPort());
          if (Rendered.resolve(target, declared).isEmpty()) {
            problems.add(Rendered.id(s) + " port " + port.getName() + ": target " + describe(target)
                + " is not a port of " + Rendered.id(d));
          }
        }
      }
      if (exposedOutside(s)) {
        for (ServicePort port : s.getSpec().getPorts()) {
          if (!CLIENT_PORTS.contains(port.getName())) {
            problems.add(Rendered.id(s) + ": exposes '" + port.getName() + "' outside the cluster; only "
                + CLIENT_PORTS + " may be");
          }
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void networkPoliciesOpenOnlyTheClientPortsToTheOutsideAndLetEveryServiceBeReached(String overlay) {
    Rendered r = Overlays.get(overlay);
    Reachability net = new Reachability(r.all(NetworkPolicy.class));
    List<String> problems = new ArrayList<>();
    if (!net.hasDefaultDeny()) {
      problems.add("no default-deny ingress NetworkPolicy (podSelector {}, no rules): every port is open");
    }
    for (Deployment d : r.all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
          boolean client = CLIENT_PORTS.contains(p.getName()) && CONNECTION_IMAGES.contains(Rendered.imageName(c.getImage()));
          if (!client && net.allowed(Reachability.OUTSIDE, Rendered.podLabels(d), p)) {
            problems.add(Rendered.id(d) + " port " + p.getName() + " (" + p.getContainerPort()
                + ") is reachable from outside the namespace");
          }
        }
      }
    }
    for (Service s : r.all(Service.class)) {
      boolean external = exposedOutside(s);
      for (ServicePort sp : s.getSpec().getPorts()) {
        for (Deployment target : r.selectedBy(s)) {
          ContainerPort p = targetPort(sp, target).orElse(null);
          if (p == null) {
            continue; // reported by everyServiceSelectsPodsAndTargetsPortsTheyDeclare
          }
          boolean reachable = external
              ? net.allowed(Reachability.OUTSIDE, Rendered.podLabels(target), p)
              : net.allowed(Reachability.OUTSIDE, Rendered.podLabels(target), p)
                  || r.all(Deployment.class).stream().anyMatch(src -> net.allowed(Rendered.podLabels(src), Rendered.podLabels(target), p));
          if (!reachable) {
            problems.add(Rendered.id(s) + " port " + sp.getName() + ": no NetworkPolicy lets "
                + (external ? "clients" : "any pod") + " reach " + Rendered.id(target) + " on " + p.getName());
          }
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void passwordThreadsFitTheCpuLimitOfTheProcessThatHashes(String overlay) {
    Rendered r = Overlays.get(overlay);
    List<String> problems = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        String image = Rendered.imageName(c.getImage());
        if (!image.equals("parley-auth") && !image.equals("parley-standalone")) {
          continue;
        }
        Rendered.EnvValue threads = r.environment(d, c, problems).get("PARLEY_PASSWORD_THREADS");
        int count = Integer.parseInt(threads == null || threads.literal() == null ? "2" : threads.literal());
        Quantity cpu = c.getResources() == null || c.getResources().getLimits() == null ? null : c.getResources().getLimits().get("cpu");
        if (cpu == null) {
          problems.add(Rendered.id(d) + ": no CPU limit to size PARLEY_PASSWORD_THREADS by");
        } else if (count > Quantity.getAmountInBytes(cpu).doubleValue()) {
          problems.add(Rendered.id(d) + ": " + count + " password threads under a CPU limit of " + cpu);
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  /** The label a monitoring namespace carries so that its Prometheus may scrape Parley (docs/operations.md). */
  static final Map<String, String> MONITORING_NAMESPACE = Map.of("parley.io/monitoring", "true");

  @ParameterizedTest
  @MethodSource("overlays")
  void theLabelledMonitoringNamespaceScrapesEveryParleyProcessOnItsMetricsPortOnly(String overlay) {
    Rendered r = Overlays.get(overlay);
    Reachability net = new Reachability(r.all(NetworkPolicy.class));
    List<String> problems = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
          boolean metrics = Rendered.isParley(c) && "http".equals(p.getName());
          boolean client = CLIENT_PORTS.contains(p.getName()) && CONNECTION_IMAGES.contains(Rendered.imageName(c.getImage()));
          boolean scrapes = net.allowedFromNamespace(MONITORING_NAMESPACE, Rendered.podLabels(d), p);
          if (metrics && !scrapes) {
            problems.add(Rendered.id(d) + ": the monitoring namespace cannot scrape port " + p.getName());
          }
          if (!metrics && !client && scrapes) {
            problems.add(Rendered.id(d) + ": the monitoring namespace reaches port " + p.getName() + " (" + p.getContainerPort() + ")");
          }
          if (metrics && net.allowed(Reachability.OUTSIDE, Rendered.podLabels(d), p)) {
            problems.add(Rendered.id(d) + ": an unlabelled namespace reaches the metrics port");
          }
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void clusteredPodsFindEachOtherThroughTheHeadlessServiceAndMayTalkOverTheBus(String overlay) {
    Rendered r = Overlays.get(overlay);
    Reachability net = new Reachability(r.all(NetworkPolicy.class));
    List<String> problems = new ArrayList<>();
    List<Deployment> members = new ArrayList<>();
    for (Deployment d : r.all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        Map<String, Rendered.EnvValue> env = r.environment(d, c, problems);
        if (!Rendered.isParley(c) || !clustered(env)) {
          continue;
        }
        members.add(d);
        Rendered.EnvValue service = env.get("PARLEY_CLUSTER_KUBERNETES_SERVICE");
        Optional<Service> headless = service == null || service.literal() == null ? Optional.empty()
            : r.named(Service.class, service.literal());
        if (headless.isEmpty()) {
          problems.add(Rendered.id(d) + ": PARLEY_CLUSTER_KUBERNETES_SERVICE="
              + (service == null ? "(unset)" : service.literal()) + " names no rendered Service");
          continue;
        }
        Service s = headless.get();
        if (!"None".equals(s.getSpec().getClusterIP())) {
          problems.add(Rendered.id(s) + ": discovery needs a headless Service (clusterIP: None)");
        }
        if (!Boolean.TRUE.equals(s.getSpec().getPublishNotReadyAddresses())) {
          problems.add(Rendered.id(s) + ": publishNotReadyAddresses is not true (joining members stay invisible)");
        }
        if (!Rendered.matches(s.getSpec().getSelector(), Rendered.podLabels(d))) {
          problems.add(Rendered.id(s) + ": does not select the pods of " + Rendered.id(d));
        }
        for (String port : List.of("hazelcast", "eventbus")) {
          if (s.getSpec().getPorts().stream().noneMatch(p -> p.getTargetPort() != null && port.equals(p.getTargetPort().getStrVal()))) {
            problems.add(Rendered.id(s) + ": has no port targeting '" + port + "'");
          }
        }
      }
    }
    for (Deployment from : members) {
      for (Deployment to : members) {
        for (String name : List.of("hazelcast", "eventbus")) {
          Optional<ContainerPort> port = Rendered.containers(to).stream()
              .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
              .filter(p -> name.equals(p.getName()))
              .findFirst();
          if (port.isPresent() && !net.allowed(Rendered.podLabels(from), Rendered.podLabels(to), port.get())) {
            problems.add(Rendered.id(from) + " may not reach " + Rendered.id(to) + " on " + name
                + ": the cluster cannot form");
          }
        }
      }
    }
    if (!members.isEmpty()) {
      boolean busPolicy = r.all(NetworkPolicy.class).stream()
          .flatMap(p -> p.getSpec().getIngress() == null ? java.util.stream.Stream.empty() : p.getSpec().getIngress().stream())
          .flatMap(rule -> rule.getPorts() == null ? java.util.stream.Stream.<NetworkPolicyPort>empty() : rule.getPorts().stream())
          .anyMatch(p -> p.getPort() != null && ("eventbus".equals(p.getPort().getStrVal())
              || Objects.equals(7510, p.getPort().getIntVal())));
      if (!busPolicy) {
        problems.add("no NetworkPolicy rule names the event bus port");
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void podDisruptionBudgetsSelectOneDeploymentAndStillLetANodeDrain(String overlay) {
    Rendered r = Overlays.get(overlay);
    List<String> problems = new ArrayList<>();
    for (PodDisruptionBudget pdb : r.all(PodDisruptionBudget.class)) {
      List<Deployment> selected = r.all(Deployment.class).stream()
          .filter(d -> Rendered.matches(pdb.getSpec().getSelector(), Rendered.podLabels(d)))
          .toList();
      if (selected.size() != 1) {
        problems.add(Rendered.id(pdb) + ": selects " + selected.size() + " Deployments, expected 1");
        continue;
      }
      Deployment d = selected.get(0);
      int replicas = minimumReplicas(r, d);
      if (pdb.getSpec().getMinAvailable() != null) {
        var min = pdb.getSpec().getMinAvailable();
        if (min.getIntVal() != null && min.getIntVal() >= replicas) {
          problems.add(Rendered.id(pdb) + ": minAvailable " + min.getIntVal() + " with " + replicas
              + " replicas blocks every eviction");
        }
      } else if (pdb.getSpec().getMaxUnavailable() == null) {
        problems.add(Rendered.id(pdb) + ": sets neither minAvailable nor maxUnavailable");
      }
      if (replicas < 2) {
        problems.add(Rendered.id(pdb) + ": guards " + Rendered.id(d) + ", which may run a single replica");
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyObjectCarriesThePartOfNameAndComponentLabels(String overlay) {
    List<String> problems = new ArrayList<>();
    Rendered r = Overlays.get(overlay);
    r.objects.forEach(o -> {
      if (o instanceof io.fabric8.kubernetes.api.model.Namespace) {
        return;
      }
      Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
      requireLabels(Rendered.id(o), labels, problems);
    });
    r.all(Deployment.class).forEach(d -> requireLabels(Rendered.id(d) + " pod template", Rendered.podLabels(d), problems));
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyImageIsPinnedToATagOtherThanLatest(String overlay) {
    List<String> problems = new ArrayList<>();
    for (Deployment d : Overlays.get(overlay).all(Deployment.class)) {
      for (Container c : Rendered.containers(d)) {
        Optional<String> tag = Rendered.imageTag(c.getImage());
        if (tag.isEmpty() || tag.get().equals("latest")) {
          problems.add(Rendered.id(d) + " container " + c.getName() + ": image " + c.getImage()
              + " is not pinned (the overlay's images: section sets the tag)");
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void parleyPodsRunAsTheUserTheImageIsBuiltFor(String overlay) {
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\d+)(?::(\\d+))?\\s*$")
        .matcher(Repo.read(Repo.k8s().resolve("images/Dockerfile")));
    assertThat(user.find()).as("k8s/images/Dockerfile has a numeric USER line").isTrue();
    long uid = Long.parseLong(user.group(1));
    List<String> problems = new ArrayList<>();
    for (Deployment d : Overlays.get(overlay).all(Deployment.class)) {
      PodSecurityContext pod = d.getSpec().getTemplate().getSpec().getSecurityContext();
      for (Container c : Rendered.containers(d)) {
        if (!Rendered.isParley(c)) {
          continue;
        }
        Long runAs = c.getSecurityContext() != null && c.getSecurityContext().getRunAsUser() != null
            ? c.getSecurityContext().getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        if (!Objects.equals(runAs, uid)) {
          problems.add(Rendered.id(d) + " container " + c.getName() + ": runAsUser " + runAs
              + ", the image's USER is " + uid);
        }
        if (pod == null || !Objects.equals(pod.getFsGroup(), Long.parseLong(Optional.ofNullable(user.group(2)).orElse(user.group(1))))) {
          problems.add(Rendered.id(d) + ": fsGroup is not the image's group, so mounted Secrets (mode 0440) are unreadable");
        }
      }
    }
    assertThat(problems).as(overlay).isEmpty();
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Reachable from outside the cluster by its type (a ClusterIP Service is not). */
  static boolean exposedOutside(Service s) {
    String type = s.getSpec().getType();
    return "LoadBalancer".equals(type) || "NodePort".equals(type);
  }

  static boolean clustered(Map<String, Rendered.EnvValue> env) {
    Rendered.EnvValue v = env.get("PARLEY_CLUSTER");
    return v != null && "true".equals(v.literal());
  }

  static int minimumReplicas(Rendered r, Deployment d) {
    Optional<HorizontalPodAutoscaler> hpa = r.all(HorizontalPodAutoscaler.class).stream()
        .filter(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
            && d.getMetadata().getName().equals(h.getSpec().getScaleTargetRef().getName()))
        .findFirst();
    if (hpa.isPresent()) {
      return hpa.get().getSpec().getMinReplicas() == null ? 1 : hpa.get().getSpec().getMinReplicas();
    }
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  private static void requireLabels(String where, Map<String, String> labels, List<String> problems) {
    if (!"parley".equals(labels.get("app.kubernetes.io/part-of"))) {
      problems.add(where + ": label app.kubernetes.io/part-of is not parley");
    }
    for (String key : List.of("app.kubernetes.io/name", "app.kubernetes.io/component")) {
      if (labels.get(key) == null || labels.get(key).isBlank()) {
        problems.add(where + ": no label " + key);
      }
    }
  }

  private static Optional<ContainerPort> targetPort(ServicePort sp, Deployment d) {
    var target = sp.getTargetPort() != null ? sp.getTargetPort() : new io.fabric8.kubernetes.api.model.IntOrString(sp.getPort());
    return Rendered.containers(d).stream()
        .map(c -> Rendered.resolve(target, c.getPorts()))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static void checkProbe(String where, Probe probe, String path, List<ContainerPort> ports,
      Map<String, Rendered.EnvValue> env, List<String> problems) {
    HTTPGetAction get = probe == null ? null : probe.getHttpGet();
    if (get == null) {
      problems.add(where + ": not an HTTP GET of " + path);
      return;
    }
    if (!path.equals(get.getPath())) {
      problems.add(where + ": path " + get.getPath() + ", expected " + path);
    }
    Optional<ContainerPort> port = Rendered.resolve(get.getPort(), ports);
    Rendered.EnvValue http = env.get("PARLEY_HTTP_PORT");
    Integer number = port.map(ContainerPort::getContainerPort)
        .orElse(get.getPort() == null ? null : get.getPort().getIntVal());
    if (number == null) {
      problems.add(where + ": port " + describe(get.getPort()) + " is not a declared container port");
    } else if (http == null || http.literal() == null || !http.literal().equals(String.valueOf(number))) {
      problems.add(where + ": probes port " + number + " but PARLEY_HTTP_PORT="
          + (http == null ? "(unset)" : http.literal()));
    }
  }

  private static boolean hasAction(Probe p) {
    return p != null && (p.getHttpGet() != null || p.getExec() != null || p.getTcpSocket() != null || p.getGrpc() != null);
  }

  private static List<VolumeMount> mounts(Container c) {
    return c.getVolumeMounts() == null ? List.of() : c.getVolumeMounts();
  }

  private static Optional<Volume> volume(PodSpec pod, String name) {
    return pod.getVolumes() == null ? Optional.empty()
        : pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst();
  }

  private static List<KeyToPath> items(List<KeyToPath> items) {
    return items == null ? List.of() : items;
  }

  private static String describe(io.fabric8.kubernetes.api.model.IntOrString port) {
    return port == null ? "(none)" : port.getStrVal() != null ? "'" + port.getStrVal() + "'" : String.valueOf(port.getIntVal());
  }
}
