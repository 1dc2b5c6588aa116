package io.parley.shared.runtime;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered event bus's protection: mutual TLS between every pair of processes, trusting only the
 * deployment's CA. The bus carries LOGIN passwords, session tokens and internal requests such as
 * {@code parley.room.members} that trust their caller, so a plaintext bus gives all of that to
 * anything on the pod network.
 *
 * <p>Each process presents one certificate both as server (inbound connections) and as client
 * (outbound ones) and requires the peer's. Vert.x's bus client does not verify host names (members
 * advertise addresses, not names), so the identity checked is "holds a key the deployment's CA
 * certified": issue those certificates to Parley processes only.
 *
 * <p>A clustered process without the three files refuses to start, unless
 * {@link ConfigKey#CLUSTER_INSECURE_BUS} says plaintext is wanted; then it says so at ERROR on every
 * start, so a production deployment cannot drift into plaintext unnoticed.
 */
final class ClusterBusTls {
  private static final Logger log = LoggerFactory.getLogger(ClusterBusTls.class);
  private static final List<ConfigKey> FILES =
      List.of(ConfigKey.CLUSTER_TLS_CA_FILE, ConfigKey.CLUSTER_TLS_CERT_FILE, ConfigKey.CLUSTER_TLS_KEY_FILE);

  private ClusterBusTls() {}

  /**
   * Turns on mutual TLS in {@code options}, or leaves them plaintext when the insecure switch allows
   * it; throws {@link IllegalStateException} naming the setting to fix otherwise.
   */
  static EventBusOptions apply(ParleyConfig config, EventBusOptions options) {
    List<ConfigKey> missing = FILES.stream().filter(key -> config.optional(key).isEmpty()).toList();
    if (missing.size() == FILES.size()) {
      if (!Boolean.parseBoolean(config.get(ConfigKey.CLUSTER_INSECURE_BUS))) {
        throw new IllegalStateException("refusing to start a plaintext clustered event bus: set "
            + names(FILES.stream()) + " (docs/deploy-k8s.md, \"Event-bus certificates\"), or "
            + ConfigKey.CLUSTER_INSECURE_BUS.env() + "=true for a throwaway local run");
      }
      log.error("INSECURE: {}=true, the clustered event bus is PLAINTEXT and UNAUTHENTICATED: anyone who reaches "
              + "port {} reads passwords and tokens and calls internal addresses. Never run this in production.",
          ConfigKey.CLUSTER_INSECURE_BUS.env(), options.getPort());
      return options;
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the clustered event bus needs all of " + names(FILES.stream())
          + "; not set: " + names(missing.stream()));
    }
    for (ConfigKey key : FILES) {
      Path file = config.getPath(key);
      if (!Files.isReadable(file)) {
        throw new IllegalStateException(key.env() + " names " + file + ", which does not exist or is not readable");
      }
    }
    return options
        .setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setTrustAll(false)
        .setTrustOptions(new PemTrustOptions().addCertPath(path(config, ConfigKey.CLUSTER_TLS_CA_FILE)))
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(path(config, ConfigKey.CLUSTER_TLS_CERT_FILE))
            .setKeyPath(path(config, ConfigKey.CLUSTER_TLS_KEY_FILE)));
  }

  private static String path(ParleyConfig config, ConfigKey key) {
    return config.getPath(key).toAbsolutePath().toString();
  }

  private static String names(Stream<ConfigKey> keys) {
    return String.join(", ", keys.map(ConfigKey::env).toList());
  }
}
