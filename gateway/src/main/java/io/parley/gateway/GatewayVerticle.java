package io.parley.gateway;

import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.token.Revocations;
import io.parley.shared.token.TokenKeys;
import io.parley.shared.token.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: a TCP server and a WebSocket server whose connections share one session state
 * machine. Deploy one instance per core; Vert.x spreads connections over the instances, and each
 * instance's sessions live on its own event loop.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);

  /** The WebSocket endpoint path (DESIGN §2). */
  public static final String WEBSOCKET_PATH = "/ws";

  private final ParleyConfig config;
  private final ServerIdentity identity;
  private final TokenKeys tokenKeys;
  private final String node;
  private final NodeSessions nodeSessions;
  private final GatewayMetrics metrics;
  private SessionRegistry registry;
  private Redis redis;
  private long presenceTimer = -1;
  private NetServer tcpServer;
  private HttpServer wsServer;
  private long sweepTimer = -1;

  GatewayVerticle(
      ParleyConfig config, ServerIdentity identity, TokenKeys tokenKeys, String node, NodeSessions nodeSessions, GatewayMetrics metrics) {
    this.nodeSessions = nodeSessions;
    this.metrics = metrics;
    this.config = config;
    this.identity = identity;
    this.tokenKeys = tokenKeys;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    GatewaySettings settings = GatewaySettings.from(config);
    registry = new SessionRegistry();
    redis = ParleyInfra.redis(vertx, config);
    RedisAPI redisApi = RedisAPI.api(redis);
    Clock clock = Clock.systemUTC();
    GatewayContext gateway =
        new GatewayContext(
            node,
            settings,
            identity,
            new SecureRandom(),
            new PacketCodec(settings.maxJsonDepth()),
            new Dispatcher(vertx, settings.busTimeoutMs()),
            new TokenAuthenticator(new TokenVerifier(vertx, tokenKeys, clock), new Revocations(redisApi, clock)),
            new Presence(redis),
            registry,
            nodeSessions,
            context,
            metrics,
            System::currentTimeMillis);
    SessionFactory sessions =
        transport -> {
          Session session = new Session(transport, gateway);
          registry.add(session);
          return session;
        };
    sweepTimer = vertx.setPeriodic(settings.sweepIntervalMs(), id -> registry.sweep(gateway.clock().getAsLong()));
    presenceTimer = vertx.setPeriodic(Presence.REFRESH.toMillis(), id -> registry.refreshPresence(gateway.presence()));

    tcpServer =
        vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true))
            .connectHandler(socket -> {
              log.trace("tcp connection from {}", socket.remoteAddress());
              TcpTransport.attach(socket, settings, sessions);
            });
    wsServer =
        vertx.createHttpServer(
                new HttpServerOptions()
                    .setMaxWebSocketFrameSize(settings.maxFrameBytes())
                    .setMaxWebSocketMessageSize(settings.maxFrameBytes()))
            .webSocketHandshakeHandler(
                handshake -> {
                  if (WEBSOCKET_PATH.equals(handshake.path())) {
                    handshake.accept();
                  } else {
                    handshake.reject(404);
                  }
                })
            .webSocketHandler(socket -> WebSocketTransport.attach(socket, settings, sessions));
    return tcpServer
        .listen(settings.tcpPort(), settings.bindHost())
        .compose(tcp -> wsServer.listen(settings.wsPort(), settings.bindHost()))
        .onSuccess(ws -> log.debug("gateway instance listening tcp {} ws {}", tcpServer.actualPort(), wsServer.actualPort()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(presenceTimer);
    registry.closeAll("the server is shutting down");
    return Future.join(tcpServer.close(), wsServer.close()).onComplete(closed -> redis.close());
  }

  /** The bound TCP port (useful when configured as 0). */
  public int tcpPort() {
    return tcpServer.actualPort();
  }

  public int wsPort() {
    return wsServer.actualPort();
  }
}
