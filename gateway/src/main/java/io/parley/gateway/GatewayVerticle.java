package io.parley.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.parley.gateway.dispatch.Dispatcher;
import io.parley.gateway.limits.ClusterBudgets;
import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.session.GatewayContext;
import io.parley.gateway.session.PartialFrames;
import io.parley.gateway.session.Session;
import io.parley.gateway.session.SessionFactory;
import io.parley.gateway.session.SessionRegistry;
import io.parley.gateway.session.TokenAuthenticator;
import io.parley.gateway.transport.DiscardInbound;
import io.parley.gateway.transport.PendingUpgrades;
import io.parley.gateway.transport.ProxyHeader;
import io.parley.gateway.transport.TcpListener;
import io.parley.gateway.transport.TcpTransport;
import io.parley.gateway.transport.WebClientFiles;
import io.parley.gateway.transport.WebSocketTransport;
import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusTimeouts;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.token.Revocations;
import io.parley.shared.token.TokenKeys;
import io.parley.shared.token.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: a TCP server and a WebSocket server whose connections share one session state
 * machine. Deploy one instance per core; Vert.x spreads connections over the instances, and each
 * instance's sessions live on its own event loop.
 *
 * <p>Every connection is admitted or refused at accept, before a byte of it is read
 * ({@link ConnectionLimits}); a refused TCP client gets a plaintext STATUS naming the limit, a
 * refused WebSocket client a closed connection (there is no channel to speak on before the upgrade).
 */
public final class GatewayVerticle extends VerticleBase implements TcpListener.Instance {
  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);

  /** The WebSocket endpoint path (DESIGN §2). */
  public static final String WEBSOCKET_PATH = "/ws";

  private final ParleyConfig config;
  private final ServerIdentity identity;
  private final TokenKeys tokenKeys;
  private final String node;
  private final GatewayShared shared;
  private final WebClientFiles web;
  private SessionRegistry registry;
  private PendingUpgrades pendingUpgrades;
  private GatewayContext gateway;
  private SessionFactory sessions;
  private Redis redis;
  private long presenceTimer = -1;
  private long budgetTimer = -1;
  private int tcpPort = -1;
  private HttpServer wsServer;
  private long sweepTimer = -1;

  GatewayVerticle(ParleyConfig config, ServerIdentity identity, TokenKeys tokenKeys, String node, GatewayShared shared, WebClientFiles web) {
    this.config = config;
    this.web = web;
    this.identity = identity;
    this.tokenKeys = tokenKeys;
    this.node = node;
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    GatewaySettings settings = shared.settings();
    registry = new SessionRegistry(shared.metrics().presenceLost());
    pendingUpgrades = new PendingUpgrades();
    redis = ParleyInfra.redis(vertx, config);
    RedisAPI redisApi = RedisAPI.api(redis);
    Clock clock = Clock.systemUTC();
    BusClient bus = new BusClient(vertx, new BusTimeouts(settings.busTimeoutMs()));
    gateway =
        new GatewayContext(
            node,
            settings,
            identity,
            new SecureRandom(),
            new PacketCodec(settings.maxJsonDepth()),
            new Dispatcher(bus),
            new TokenAuthenticator(
                new TokenVerifier(vertx, tokenKeys, clock), new Revocations(redisApi, clock), bus),
            new Presence(redis),
            registry,
            new PartialFrames(shared.partialFrameTotal(), settings.partialFrameBudgetBytes()),
            shared.limits(),
            shared.budgets(),
            shared.refusals(),
            shared.nodeSessions(),
            context,
            shared.metrics(),
            shared.clock());
    sessions =
        (transport, ticket) -> {
          Session session = new Session(transport, gateway, ticket);
          registry.add(session);
          return session;
        };
    sweepTimer = vertx.setPeriodic(settings.sweepIntervalMs(), id -> sweep());
    presenceTimer =
        vertx.setPeriodic(SessionRegistry.PRESENCE_TICK_MS, id -> registry.refreshPresenceIfDue(gateway.presence(), gateway.clock().getAsLong()));
    budgetTimer = vertx.setPeriodic(ClusterBudgets.FLUSH_INTERVAL_MS, id -> shared.clusterBudgets().flush(redis));

    wsServer =
        vertx.createHttpServer(
                new HttpServerOptions()
                    .setUseProxyProtocol(settings.proxyProtocol())
                    .setMaxWebSocketFrameSize(settings.maxFrameBytes())
                    .setMaxWebSocketMessageSize(settings.maxFrameBytes()))
            .connectionHandler(this::onHttpConnection)
            .webSocketHandshakeHandler(
                handshake -> {
                  if (WEBSOCKET_PATH.equals(handshake.path())) {
                    handshake.accept();
                  } else {
                    handshake.reject(404);
                  }
                })
            .webSocketHandler(this::onWebSocket)
            // Any other request on this port is a GET for the browser client (docs/web.md).
            .requestHandler(web::handle);
    return shared.tcpListener()
        .join((VertxInternal) vertx, settings.bindHost(), settings.tcpPort(), this)
        .compose(port -> {
          tcpPort = port;
          return wsServer.listen(settings.wsPort(), settings.bindHost());
        })
        .onSuccess(ws -> log.debug("gateway instance listening tcp {} ws {}", tcpPort, wsServer.actualPort()));
  }

  private void sweep() {
    long now = gateway.clock().getAsLong();
    registry.sweep(now);
    pendingUpgrades.sweep(now, gateway.settings().handshakeTimeoutMs(), gateway.refusals());
    gateway.budgets().sweep();
  }

  @Override
  public EventLoop eventLoop() {
    return ((ContextInternal) context).nettyEventLoop();
  }

  /** A TCP connection registered on this instance's event loop, not yet reading. */
  @Override
  public void accepted(Channel channel) {
    ContextInternal here = (ContextInternal) context;
    if (gateway.settings().proxyProtocol()) {
      ProxyHeader.await(channel, peer -> here.dispatch(peer, named -> onTcpConnection(channel, named)));
    } else {
      here.dispatch(SocketAddress.inetSocketAddress((InetSocketAddress) channel.remoteAddress()), peer -> onTcpConnection(channel, peer));
    }
  }

  private void onTcpConnection(Channel channel, SocketAddress peer) {
    String address = peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
    ConnectionLimits.Admission admission = gateway.limits().admit(address);
    if (admission instanceof ConnectionLimits.Refused refused) {
      // Cheap and early: no session, no key; one small plaintext frame says which limit.
      gateway.refusals().record(refused.reason(), address);
      gateway.metrics().connectionRefused(refused.reason());
      byte[] status = gateway.codec().encode(Envelope.status(refused.reason().status(), refused.reason().desc()));
      channel.pipeline().addLast(DiscardInbound.INSTANCE); // unread input would turn the close into an RST
      channel.config().setAutoRead(true);
      channel.writeAndFlush(Unpooled.wrappedBuffer(FrameDecoder.encode(status).getBytes())).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    TcpTransport.attach(channel, (ContextInternal) context, peer, gateway.settings(), sessions, (ConnectionLimits.Ticket) admission);
    shedHandshakes();
  }

  private void onHttpConnection(HttpConnection connection) {
    String address = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
    ConnectionLimits.Admission admission = gateway.limits().admit(address);
    if (admission instanceof ConnectionLimits.Refused refused) {
      gateway.refusals().record(refused.reason(), address);
      gateway.metrics().connectionRefused(refused.reason());
      connection.close();
      return;
    }
    ConnectionLimits.Ticket ticket = (ConnectionLimits.Ticket) admission;
    pendingUpgrades.add(connection, ticket, gateway.clock().getAsLong());
    // Releasing is idempotent: after an upgrade the session releases the same ticket when it leaves.
    connection.closeHandler(closed -> {
      pendingUpgrades.closed(connection);
      ticket.release();
    });
    shedHandshakes();
  }

  private void onWebSocket(ServerWebSocket socket) {
    ConnectionLimits.Ticket ticket = pendingUpgrades.upgraded(socket.remoteAddress());
    if (ticket == null) {
      // Shed or swept while its upgrade was in flight: it no longer holds a slot.
      socket.close((short) 1013, "try again later");
      return;
    }
    WebSocketTransport.attach(socket, gateway.settings(), sessions, ticket);
  }

  /** Over the process's handshake cap: this instance closes its oldest unfinished handshakes. */
  private void shedHandshakes() {
    if (gateway.limits().handshakesOverCap()) {
      pendingUpgrades.shed(gateway.limits(), gateway.refusals());
      registry.shedHandshakes(gateway.limits());
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(presenceTimer);
    vertx.cancelTimer(budgetTimer);
    registry.closeAll("the server is shutting down");
    pendingUpgrades.closeAll();
    return Future.join(shared.tcpListener().leave(this), wsServer.close()).onComplete(closed -> redis.close());
  }

  /** The bound TCP port (useful when configured as 0). */
  public int tcpPort() {
    return tcpPort;
  }

  public int wsPort() {
    return wsServer.actualPort();
  }
}
