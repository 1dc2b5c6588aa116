package io.parley.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads kustomize output into fabric8's typed model the way the API server would: a kind we do not
 * model, a wrong apiVersion, a field the schema does not have (fabric8 would quietly keep it in
 * {@code additionalProperties}), or a scalar of the wrong type ({@code containerPort: "7400"}, an
 * env value that is a number) is an error naming the document and the path.
 */
final class StrictModel {
  /** Every kind the manifests may contain. A new kind needs a line here, and thought about its checks. */
  static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "Namespace", Namespace.class,
          "ConfigMap", ConfigMap.class,
          "Secret", Secret.class,
          "Service", Service.class,
          "PersistentVolumeClaim", PersistentVolumeClaim.class,
          "Deployment", Deployment.class,
          "PodDisruptionBudget", PodDisruptionBudget.class,
          "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "NetworkPolicy", NetworkPolicy.class);

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final JsonMapper TYPED =
      JsonMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfig(
              LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
          .withCoercionConfig(
              LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
          .build();

  private StrictModel() {}

  static List<JsonNode> documents(String yaml, String source) {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(node);
        }
      }
    } catch (JacksonException e) {
      throw new AssertionError(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    return documents;
  }

  /** Parses every document of {@code yaml}, failing with all problems found, not only the first. */
  static List<HasMetadata> parse(String yaml, String source) {
    List<HasMetadata> objects = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (JsonNode node : documents(yaml, source)) {
      String kind = node.path("kind").asString("");
      String name = node.path("metadata").path("name").asString("");
      String where = source + ": " + kind + "/" + name;
      Class<? extends HasMetadata> type = KINDS.get(kind);
      if (type == null) {
        problems.add(where + ": kind '" + kind + "' is not one the checks know (StrictModel.KINDS)");
        continue;
      }
      String apiVersion = node.path("apiVersion").asString("");
      if (!apiVersion.equals(HasMetadata.getApiVersion(type))) {
        problems.add(where + ": apiVersion '" + apiVersion + "', expected " + HasMetadata.getApiVersion(type));
        continue;
      }
      if (name.isEmpty()) {
        problems.add(where + ": no metadata.name");
        continue;
      }
      HasMetadata object;
      try {
        object = TYPED.treeToValue(node, type);
      } catch (JacksonException e) {
        problems.add(where + ": does not match the " + kind + " schema: " + e.getOriginalMessage()
            + " at " + e.getPathReference());
        continue;
      }
      List<String> unknown = new ArrayList<>();
      unknownFields(object, kind, unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
      unknown.forEach(u -> problems.add(where + ": " + u));
      objects.add(object);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("strict parse failed:\n  " + String.join("\n  ", problems));
    }
    return objects;
  }

  /** fabric8 keeps fields it does not know in additionalProperties; the API server would refuse them. */
  private static void unknownFields(Object value, String path, List<String> problems, Set<Object> seen) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
        || value instanceof Enum<?>) {
      return;
    }
    if (value instanceof Collection<?> collection) {
      int i = 0;
      for (Object element : collection) {
        unknownFields(element, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.") || !seen.add(value)) {
      return;
    }
    for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object fieldValue;
        try {
          fieldValue = field.get(value);
        } catch (IllegalAccessException e) {
          throw new AssertionError("cannot read " + field, e);
        }
        if (field.getName().equals("additionalProperties")) {
          if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
            problems.add(path + ": unknown field(s) " + extra.keySet());
          }
        } else {
          unknownFields(fieldValue, path + "." + field.getName(), problems, seen);
        }
      }
    }
  }
}
