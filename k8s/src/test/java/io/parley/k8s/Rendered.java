package io.parley.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One rendered kustomization: its text and typed objects, and the lookups the checks share
 * (ConfigMap and Secret keys, which Service selects which pods, a container's effective environment).
 */
final class Rendered {
  final String name;
  final String yaml;
  final List<HasMetadata> objects;
  /**
   * Secrets an operator creates by hand (k8s/secrets/ templates). Their keys count as present, the
   * way they will be in the cluster; a rendered Secret of the same name wins.
   */
  private final Map<String, Set<String>> createdByHand;

  private Rendered(String name, String yaml, List<HasMetadata> objects, Map<String, Set<String>> createdByHand) {
    this.name = name;
    this.yaml = yaml;
    this.objects = objects;
    this.createdByHand = createdByHand;
  }

  static Rendered kustomization(Path dir, String name, Map<String, Set<String>> createdByHand) {
    String yaml = Kustomize.render(dir);
    return new Rendered(name, yaml, StrictModel.parse(yaml, name), createdByHand);
  }

  static Rendered overlay(String overlay) {
    Rendered templates = secretTemplates();
    Map<String, Set<String>> byHand = new LinkedHashMap<>();
    templates.all(Secret.class).forEach(s -> byHand.put(s.getMetadata().getName(), keys(s)));
    return kustomization(Repo.k8s().resolve("overlays").resolve(overlay), "overlays/" + overlay, byHand);
  }

  static Rendered secretTemplates() {
    return kustomization(Repo.k8s().resolve("secrets"), "secrets", Map.of());
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> Optional<T> named(Class<T> kind, String name) {
    return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  static String id(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }

  static Set<String> keys(Secret secret) {
    Set<String> keys = new LinkedHashSet<>();
    if (secret.getData() != null) {
      keys.addAll(secret.getData().keySet());
    }
    if (secret.getStringData() != null) {
      keys.addAll(secret.getStringData().keySet());
    }
    return keys;
  }

  /** Keys of the Secret as the cluster will have it, or empty if nobody creates it. */
  Optional<Set<String>> secretKeys(String secretName) {
    Optional<Secret> rendered = named(Secret.class, secretName);
    if (rendered.isPresent()) {
      return Optional.of(keys(rendered.get()));
    }
    return Optional.ofNullable(createdByHand.get(secretName));
  }

  Optional<Map<String, String>> configMapData(String configMapName) {
    return named(ConfigMap.class, configMapName)
        .map(c -> c.getData() == null ? Map.<String, String>of() : c.getData());
  }

  boolean pvcExists(String claim) {
    return named(PersistentVolumeClaim.class, claim).isPresent();
  }

  // ---- selectors --------------------------------------------------------------------------------

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = have.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> value != null && values.contains(value);
              case "NotIn" -> value == null || !values.contains(value);
              case "Exists" -> value != null;
              case "DoesNotExist" -> value == null;
              default -> throw new AssertionError("unknown selector operator " + r.getOperator());
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean matches(Map<String, String> serviceSelector, Map<String, String> labels) {
    if (serviceSelector == null || serviceSelector.isEmpty()) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    return serviceSelector.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }

  static Map<String, String> podLabels(Deployment d) {
    Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  List<Deployment> selectedBy(Service service) {
    return all(Deployment.class).stream()
        .filter(d -> matches(service.getSpec().getSelector(), podLabels(d)))
        .toList();
  }

  List<Service> servicesSelecting(Deployment deployment) {
    return all(Service.class).stream()
        .filter(s -> matches(s.getSpec().getSelector(), podLabels(deployment)))
        .toList();
  }

  // ---- containers -------------------------------------------------------------------------------

  static List<Container> containers(Deployment d) {
    PodTemplateSpec template = d.getSpec().getTemplate();
    List<Container> all = new ArrayList<>(template.getSpec().getContainers());
    if (template.getSpec().getInitContainers() != null) {
      all.addAll(template.getSpec().getInitContainers());
    }
    return all;
  }

  /** A container running one of our images (parley-auth, ..., parley-standalone), under any registry. */
  static boolean isParley(Container c) {
    return imageName(c.getImage()).startsWith("parley-");
  }

  /** registry.example.com/parley/parley-auth:0.1.0 → parley-auth */
  static String imageName(String image) {
    String last = image.substring(image.lastIndexOf('/') + 1);
    int at = last.indexOf('@');
    last = at >= 0 ? last.substring(0, at) : last;
    int colon = last.indexOf(':');
    return colon >= 0 ? last.substring(0, colon) : last;
  }

  static Optional<String> imageTag(String image) {
    String last = image.substring(image.lastIndexOf('/') + 1);
    if (last.contains("@")) {
      return Optional.of(last.substring(last.indexOf('@') + 1));
    }
    int colon = last.indexOf(':');
    return colon >= 0 ? Optional.of(last.substring(colon + 1)) : Optional.empty();
  }

  /** A port reference (a probe's or a Service's targetPort) resolved against a container's ports. */
  static Optional<ContainerPort> resolve(IntOrString port, List<ContainerPort> ports) {
    if (port == null || ports == null) {
      return Optional.empty();
    }
    return ports.stream()
        .filter(p -> port.getStrVal() != null
            ? port.getStrVal().equals(p.getName())
            : Objects.equals(port.getIntVal(), p.getContainerPort()))
        .findFirst();
  }

  /** What a value in a container's environment is made of. */
  record EnvValue(String literal, String from) {
    static EnvValue of(String literal) {
      return new EnvValue(literal, "literal");
    }
  }

  /**
   * The container's environment as the kubelet builds it: envFrom in order, then env on top. A
   * reference to a missing ConfigMap, Secret or key is reported in {@code problems}.
   */
  Map<String, EnvValue> environment(Deployment d, Container c, List<String> problems) {
    String where = id(d) + " container " + c.getName();
    Map<String, EnvValue> env = new LinkedHashMap<>();
    for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getConfigMapRef() != null) {
        String cm = from.getConfigMapRef().getName();
        Optional<Map<String, String>> data = configMapData(cm);
        if (data.isEmpty()) {
          problems.add(where + ": envFrom ConfigMap " + cm + " is not rendered");
        } else {
          data.get().forEach((k, v) -> env.put(prefix + k, EnvValue.of(v)));
        }
      }
      if (from.getSecretRef() != null) {
        String secret = from.getSecretRef().getName();
        Optional<Set<String>> keys = secretKeys(secret);
        if (keys.isEmpty()) {
          problems.add(where + ": envFrom Secret " + secret + " is neither rendered nor a k8s/secrets template");
        } else {
          keys.get().forEach(k -> env.put(prefix + k, new EnvValue(null, "secret " + secret)));
        }
      }
    }
    for (EnvVar var : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      EnvVarSource source = var.getValueFrom();
      if (source == null) {
        env.put(var.getName(), EnvValue.of(var.getValue() == null ? "" : var.getValue()));
      } else if (source.getConfigMapKeyRef() != null) {
        String cm = source.getConfigMapKeyRef().getName();
        String key = source.getConfigMapKeyRef().getKey();
        String value = configMapData(cm).map(m -> m.get(key)).orElse(null);
        if (value == null) {
          problems.add(where + ": " + var.getName() + " refers to ConfigMap " + cm + " key " + key + ", which is not rendered");
        }
        env.put(var.getName(), EnvValue.of(value));
      } else if (source.getSecretKeyRef() != null) {
        String secret = source.getSecretKeyRef().getName();
        String key = source.getSecretKeyRef().getKey();
        Optional<Set<String>> keys = secretKeys(secret);
        if (keys.isEmpty()) {
          problems.add(where + ": " + var.getName() + " refers to Secret " + secret
              + ", which is neither rendered nor a k8s/secrets template");
        } else if (!keys.get().contains(key)) {
          problems.add(where + ": " + var.getName() + " refers to Secret " + secret + " key " + key
              + ", which it does not have (keys: " + keys.get() + ")");
        }
        env.put(var.getName(), new EnvValue(null, "secret " + secret));
      } else if (source.getFieldRef() != null) {
        env.put(var.getName(), new EnvValue(null, "field " + source.getFieldRef().getFieldPath()));
      } else {
        env.put(var.getName(), new EnvValue(null, "resource"));
      }
    }
    return env;
  }
}
