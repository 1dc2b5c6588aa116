package io.parley.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** The parser refuses what the API server refuses; otherwise every other check proves little. */
class StrictModelTest {
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: d
      spec:
        selector:
          matchLabels: {app: d}
        template:
          metadata:
            labels: {app: d}
          spec:
            containers:
              - name: c
                image: parley-auth:1
                ports:
                  - name: http
                    containerPort: PORT
                env:
                  - name: PARLEY_TCP_PORT
                    value: ENV
      """;

  private static String deployment(String port, String env) {
    return DEPLOYMENT.replace("PORT", port).replace("ENV", env);
  }

  @Test
  void aWellTypedDeploymentParses() {
    assertThat(StrictModel.parse(deployment("7480", "\"7400\""), "test"))
        .singleElement()
        .isInstanceOfSatisfying(Deployment.class, d -> assertThat(d.getMetadata().getName()).isEqualTo("d"));
  }

  @Test
  void aQuotedPortIsRefused() {
    assertThatThrownBy(() -> StrictModel.parse(deployment("\"7480\"", "\"7400\""), "test"))
        .hasMessageContaining("Deployment/d").hasMessageContaining("schema");
  }

  @Test
  void anUnquotedNumberAsEnvValueIsRefused() {
    assertThatThrownBy(() -> StrictModel.parse(deployment("7480", "7400"), "test"))
        .hasMessageContaining("Deployment/d").hasMessageContaining("schema");
  }

  @Test
  void anUnknownFieldIsRefusedWithItsPath() {
    String yaml = deployment("7480", "\"7400\"").replace("image: parley-auth:1", "image: parley-auth:1\n          imagePullPolicyy: Always");
    assertThatThrownBy(() -> StrictModel.parse(yaml, "test"))
        .hasMessageContaining("containers[0]").hasMessageContaining("imagePullPolicyy");
  }

  @Test
  void anUnknownKindOrWrongApiVersionIsRefused() {
    assertThatThrownBy(() -> StrictModel.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", "test"))
        .hasMessageContaining("kind 'Pod'");
    assertThatThrownBy(() -> StrictModel.parse(deployment("7480", "\"7400\"").replace("apps/v1", "extensions/v1beta1"), "test"))
        .hasMessageContaining("apiVersion 'extensions/v1beta1'");
  }
}
