package io.parley.gateway;

import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.NodeIds;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.token.TokenKeys;
import io.parley.shared.infra.Dependencies;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.service.ServiceLauncher;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the gateway alone (one process per service deployments). */
public final class GatewayMain {
  private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {}

  /** A gateway needs only the public half of the token key; it never signs. */
  private static TokenKeys verificationKeys(ParleyConfig config) throws IOException {
    if (config.optional(ConfigKey.TOKEN_PUBLIC_KEY_FILE).isPresent()) {
      return TokenKeys.loadPublic(config.getPath(ConfigKey.TOKEN_PUBLIC_KEY_FILE));
    }
    return TokenKeys.load(config.getPath(ConfigKey.TOKEN_KEY_FILE), false);
  }

  public static void main(String[] args) throws Exception {
    ParleyConfig config = ServiceLauncher.configure("gateway");
    ServerIdentity identity = ServerIdentity.loadOrCreate(config.getPath(ConfigKey.IDENTITY_KEY_FILE));
    TokenKeys tokenKeys = verificationKeys(config);
    AtomicReference<Redis> redis = new AtomicReference<>();
    ServiceLauncher.launch(
        "gateway",
        config,
        runtime -> {
          redis.set(ParleyInfra.redis(runtime.vertx(), config));
          // Watched, not required: without Redis a gateway still serves (pushes fall back to asking
          // every gateway), so /health/ready reports it degraded and the gateway stays in rotation.
          Dependencies.of(runtime.vertx()).watch(Dependencies.REDIS, () -> RedisAPI.api(redis.get()).ping(List.of()).mapEmpty());
          return Gateway.deploy(runtime.vertx(), config, identity, tokenKeys, NodeIds.of(config))
              .onSuccess(running -> log.info(
                  "gateway listening on tcp {} and ws {}{}; identity fingerprint {}",
                  running.tcpPort(), running.wsPort(), GatewayVerticle.WEBSOCKET_PATH, running.fingerprint()))
              .mapEmpty();
        },
        // The gateway keeps no database of its own: ready while it is in the cluster and receiving.
        Set.of());
  }
}
