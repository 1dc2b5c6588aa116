package io.parley.gateway;

import io.parley.gateway.session.GatewayMetrics;
import io.parley.gateway.session.NodeSessions;
import io.parley.gateway.transport.WebClientFiles;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.token.TokenKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deploys the gateway verticles; used by {@link GatewayMain} and by standalone mode. */
public final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private Gateway() {}

  /** Where a deployed gateway listens and which identity it proves. */
  public record Running(String deploymentId, int tcpPort, int wsPort, String fingerprint, GatewayStats stats) {}

  /**
   * One instance per event loop when the ports are fixed (Vert.x shares a fixed port among
   * instances). With port 0 (tests) a single instance, because each instance would otherwise bind a
   * different random port.
   */
  public static Future<Running> deploy(
      Vertx vertx, ParleyConfig config, ServerIdentity identity, TokenKeys tokenKeys, String node) {
    boolean randomPorts = config.getInt(ConfigKey.TCP_PORT) == 0 || config.getInt(ConfigKey.WS_PORT) == 0;
    int instances = randomPorts ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
    AtomicReference<GatewayVerticle> first = new AtomicReference<>();
    NodeSessions nodeSessions = new NodeSessions();
    GatewayShared shared = GatewayShared.create(GatewaySettings.from(config), nodeSessions, new GatewayMetrics());
    WebClientFiles web = WebClientFiles.load(Gateway.class.getClassLoader());
    if (web.size() > 0) {
      log.info("serving the web client on the WebSocket port: {} files, bundle sha256 {}", web.size(), web.bundleSha256());
    }
    return nodeSessions
        .listen(vertx, node)
        .compose(listening -> AdminConnections.listen(vertx, node, shared))
        .compose(listening -> vertx.deployVerticle(
            () -> {
              GatewayVerticle verticle = new GatewayVerticle(config, identity, tokenKeys, node, shared, web);
              first.compareAndSet(null, verticle);
              return verticle;
            },
            new DeploymentOptions().setInstances(instances)))
        .map(id -> new Running(id, first.get().tcpPort(), first.get().wsPort(), identity.fingerprint(), shared));
  }
}
