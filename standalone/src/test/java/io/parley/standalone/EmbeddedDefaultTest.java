package io.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ClientOptions;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command with nothing configured: standalone starts its own PostgreSQL and
 * Redis under the data directory, creates the identity key (mode 600), and keeps both across a
 * restart.
 */
class EmbeddedDefaultTest {
  @TempDir Path home;

  @Test
  void with_no_database_configured_standalone_starts_embedded_servers_and_keeps_its_identity() throws Exception {
    ParleyConfig config =
        ParleyConfig.defaults()
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.TCP_PORT, 0)
            .with(ConfigKey.WS_PORT, 0)
            .with(ConfigKey.HTTP_PORT, 0)
            .with(ConfigKey.DATA_DIR, home.resolve("data"))
            .with(ConfigKey.IDENTITY_KEY_FILE, home.resolve("identity.pem"))
            .with(ConfigKey.TOKEN_KEY_FILE, home.resolve("token-key.pem"));
    String firstFingerprint;
    try (Standalone parley = Standalone.start(config)) {
      assertThat(parley.embedded()).isPresent();
      firstFingerprint = parley.fingerprint();
      ParleyConnection connection =
          ParleyClient.connect(parley.vertx(), ClientOptions.tcp("127.0.0.1", parley.tcpPort(), UUID.randomUUID())
                  .withPinnedFingerprint(firstFingerprint))
              .toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      connection.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    assertThat(Files.getPosixFilePermissions(home.resolve("identity.pem")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(Files.getPosixFilePermissions(home.resolve("token-key.pem")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    assertThat(home.resolve("data").resolve("postgres")).isDirectory();

    try (Standalone restarted = Standalone.start(config)) {
      assertThat(restarted.fingerprint()).isEqualTo(firstFingerprint);
    }
  }
}
