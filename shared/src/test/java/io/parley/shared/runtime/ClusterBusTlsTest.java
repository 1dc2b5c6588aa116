package io.parley.shared.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a clustered process runs its bus on mutual TLS, and when it refuses to start instead. */
class ClusterBusTlsTest {
  @TempDir Path dir;

  ParleyConfig withFiles() throws Exception {
    ParleyConfig config = ParleyConfig.defaults();
    for (ConfigKey key : new ConfigKey[] {ConfigKey.CLUSTER_TLS_CA_FILE, ConfigKey.CLUSTER_TLS_CERT_FILE, ConfigKey.CLUSTER_TLS_KEY_FILE}) {
      Path file = Files.writeString(dir.resolve(key.name()), "pem");
      config = config.with(key, file);
    }
    return config;
  }

  @Test
  void clustered_without_certificates_refuses_to_start_and_names_the_settings() {
    assertThatThrownBy(() -> ClusterBusTls.apply(ParleyConfig.defaults(), new EventBusOptions()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing to start a plaintext clustered event bus")
        .hasMessageContaining("PARLEY_CLUSTER_TLS_CA_FILE")
        .hasMessageContaining("PARLEY_CLUSTER_INSECURE_BUS=true");
  }

  @Test
  void the_insecure_switch_allows_a_plaintext_bus() {
    EventBusOptions options = ClusterBusTls.apply(
        ParleyConfig.defaults().with(ConfigKey.CLUSTER_INSECURE_BUS, "true"), new EventBusOptions());
    assertThat(options.isSsl()).isFalse();
  }

  @Test
  void some_files_but_not_all_is_refused_even_with_the_insecure_switch() throws Exception {
    ParleyConfig config = withFiles().with(ConfigKey.CLUSTER_TLS_KEY_FILE, "").with(ConfigKey.CLUSTER_INSECURE_BUS, "true");
    assertThatThrownBy(() -> ClusterBusTls.apply(config, new EventBusOptions()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("not set: PARLEY_CLUSTER_TLS_KEY_FILE");
  }

  @Test
  void a_missing_file_is_refused_by_its_setting_name() throws Exception {
    ParleyConfig config = withFiles().with(ConfigKey.CLUSTER_TLS_CA_FILE, dir.resolve("absent.pem"));
    assertThatThrownBy(() -> ClusterBusTls.apply(config, new EventBusOptions()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("PARLEY_CLUSTER_TLS_CA_FILE names ")
        .hasMessageContaining("does not exist or is not readable");
  }

  @Test
  void with_the_files_the_bus_requires_a_certificate_from_the_deployment_ca_only() throws Exception {
    ParleyConfig config = withFiles();
    EventBusOptions options = ClusterBusTls.apply(config, new EventBusOptions());
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(options.isTrustAll()).isFalse();
    assertThat(((PemTrustOptions) options.getTrustOptions()).getCertPaths())
        .containsExactly(dir.resolve(ConfigKey.CLUSTER_TLS_CA_FILE.name()).toString());
    PemKeyCertOptions keyCert = (PemKeyCertOptions) options.getKeyCertOptions();
    assertThat(keyCert.getCertPaths()).containsExactly(dir.resolve(ConfigKey.CLUSTER_TLS_CERT_FILE.name()).toString());
    assertThat(keyCert.getKeyPaths()).containsExactly(dir.resolve(ConfigKey.CLUSTER_TLS_KEY_FILE.name()).toString());
    // The bus's client is built from these options' JSON: the key and trust settings must survive it.
    EventBusOptions copied = new EventBusOptions(options.toJson());
    assertThat(copied.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(copied.getTrustOptions()).isInstanceOf(PemTrustOptions.class);
    assertThat(copied.getKeyCertOptions()).isInstanceOf(PemKeyCertOptions.class);
  }

  @Test
  void the_files_win_over_the_insecure_switch() throws Exception {
    EventBusOptions options = ClusterBusTls.apply(withFiles().with(ConfigKey.CLUSTER_INSECURE_BUS, "true"), new EventBusOptions());
    assertThat(options.isSsl()).isTrue();
  }
}
