package io.parley.gateway;

import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.channel.ChannelExhaustedException;
import io.parley.shared.channel.HandshakeException;
import io.parley.shared.channel.RecordException;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.channel.ServerHandshake;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.Access;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.Replies;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.protocol.packet.ClientPacket;
import io.parley.shared.protocol.packet.Packets;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's state machine, the same for TCP and WebSocket:
 * awaiting CONN_INIT → awaiting the client key → open → authenticated (→ closed).
 *
 * <p>Everything here runs on the connection's event loop, so the session needs no locks. It never
 * blocks: the only waiting is for bus replies, which come back as futures on the same loop.
 */
final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  enum State {
    AWAITING_INIT,
    AWAITING_CLIENT_KEY,
    OPEN,
    AUTHENTICATED,
    CLOSED
  }

  private final String id = UUID.randomUUID().toString();
  private final Transport transport;
  private final GatewayContext gateway;
  private final PacketCodec codec;
  private final TokenBucket packetBudget;
  private final long openedAtMs;

  private State state = State.AWAITING_INIT;
  private ServerHandshake handshake;
  private SecureChannel channel;
  private UUID device;
  private String user;
  private long lastActivityMs;

  Session(Transport transport, GatewayContext gateway) {
    this.transport = transport;
    this.gateway = gateway;
    this.codec = gateway.codec();
    GatewaySettings settings = gateway.settings();
    this.packetBudget = new TokenBucket(settings.packetRatePerSecond(), settings.packetBurst(), gateway.clock());
    this.handshake =
        new ServerHandshake(gateway.identity(), gateway.random(), settings.maxRecordsPerDirection());
    this.openedAtMs = gateway.clock().getAsLong();
    this.lastActivityMs = openedAtMs;
    gateway.metrics().connectionOpened();
    log.debug("opened {} session {}", transport.kind(), id);
  }

  String id() {
    return id;
  }

  State state() {
    return state;
  }

  Optional<String> user() {
    return Optional.ofNullable(user);
  }

  Optional<UUID> device() {
    return Optional.ofNullable(device);
  }

  /**
   * A WebSocket message: handshake frames must come as text and records as binary (docs/protocol.md
   * §1), so a message of the wrong kind means the peer does not speak the protocol.
   */
  void onWebSocketMessage(byte[] frame, boolean text) {
    boolean handshaking = state == State.AWAITING_INIT || state == State.AWAITING_CLIENT_KEY;
    if (state != State.CLOSED && text != handshaking) {
      closeWith(
          handshaking ? StatusCode.HANDSHAKE_FAILED : StatusCode.PROTOCOL_ERROR,
          handshaking ? "handshake frames must be WebSocket text messages" : "records must be WebSocket binary messages");
      return;
    }
    onFrame(frame);
  }

  /** One complete frame from the transport: a handshake frame or an encrypted record. */
  void onFrame(byte[] frame) {
    log.trace("session {} in {} received {} bytes", id, state, frame.length);
    lastActivityMs = gateway.clock().getAsLong();
    switch (state) {
      case AWAITING_INIT -> onConnInit(frame);
      case AWAITING_CLIENT_KEY -> onClientKey(frame);
      case OPEN, AUTHENTICATED -> onRecord(frame);
      case CLOSED -> {
        // Frames racing with our close are dropped.
      }
    }
  }

  private void onConnInit(byte[] frame) {
    try {
      byte[] reply = handshake.respond(frame);
      device = handshake.deviceId();
      state = State.AWAITING_CLIENT_KEY;
      transport.sendHandshakeFrame(reply);
    } catch (HandshakeException e) {
      gateway.metrics().handshake(false);
      closeWith(StatusCode.HANDSHAKE_FAILED, e.getMessage());
    }
  }

  private void onClientKey(byte[] frame) {
    try {
      channel = handshake.complete(frame);
      state = State.OPEN;
      transport.sendRecord(handshake.confirmationRecord());
      handshake = null;
      gateway.metrics().handshake(true);
    } catch (HandshakeException e) {
      gateway.metrics().handshake(false);
      closeWith(StatusCode.HANDSHAKE_FAILED, e.getMessage());
    }
  }

  private void onRecord(byte[] record) {
    byte[] plaintext;
    try {
      plaintext = channel.open(record);
    } catch (RecordException e) {
      // Tampered, replayed, reordered or over the record limit: the stream can no longer be trusted.
      closeWith(StatusCode.PROTOCOL_ERROR, "a record failed to authenticate");
      return;
    }
    Envelope request;
    try {
      request = codec.decode(plaintext);
    } catch (MalformedPacketException e) {
      closeWith(StatusCode.PROTOCOL_ERROR, e.getMessage());
      return;
    } catch (PacketCodec.BadPacketEnvelope e) {
      send(e.toStatus());
      return;
    }
    handleRequest(request);
  }

  private void handleRequest(Envelope request) {
    String requestId = request.id();
    if (!packetBudget.tryTake()) {
      reply(requestId, Envelope.status(StatusCode.RATE_LIMITED, "more than the allowed packets per second"));
      return;
    }
    Optional<PacketType> known = request.packetType();
    if (known.isEmpty() || !known.get().isClientRequest()) {
      reply(requestId, Envelope.status(StatusCode.UNKNOWN_TYPE, "no client request named '" + request.type() + "'"));
      return;
    }
    PacketType type = known.get();
    gateway.metrics().request(type);
    if (type.access() == Access.AUTHENTICATED && user == null) {
      reply(requestId, Envelope.status(StatusCode.NOT_AUTHENTICATED, type.wireName() + " needs an authenticated connection"));
      return;
    }
    ClientPacket packet;
    try {
      packet = Packets.parse(type, request.data());
    } catch (BadPacketException e) {
      reply(requestId, e.toStatus());
      return;
    }
    if (packet instanceof AuthToken resume) {
      gateway.authenticator()
          .authenticate(resume, device)
          .compose(authenticated -> changeUser(authenticated).map(authenticated))
          .onComplete(done -> {
            if (state != State.CLOSED) {
              reply(requestId, done.succeeded() ? Replies.loginOk(done.result()) : authTokenFailure(done.cause()));
            }
          });
      return;
    }
    BusRequest busRequest =
        new BusRequest(user, device.toString(), id, gateway.node(), transport.remoteAddress(), requestId, request.data());
    long started = System.nanoTime();
    gateway.dispatcher().dispatch(type, busRequest).onComplete(done -> {
      gateway.metrics().busTimer(type).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
      onReply(requestId, done.result());
    });
  }

  /**
   * A refused token is TOKEN_REFUSED; anything else means Redis did not answer (the revocation check
   * could not run), which is the client's cue to retry, not a fault of its request.
   */
  private Envelope authTokenFailure(Throwable cause) {
    if (cause instanceof StatusException refused) {
      return refused.toStatus();
    }
    log.warn("AUTH_TOKEN on session {} could not be checked: {}", id, cause.toString());
    return Envelope.status(StatusCode.UNAVAILABLE, "the token could not be checked right now; retry");
  }

  private void onReply(String requestId, BusReply reply) {
    if (state == State.CLOSED) {
      return;
    }
    Future<Void> sessionChanged = reply.session() == null ? Future.succeededFuture() : changeUser(reply.session().user());
    sessionChanged.onComplete(done -> {
      if (state != State.CLOSED) {
        reply(requestId, reply.packet());
      }
    });
  }

  /**
   * Authenticates the connection as {@code newUser} (or ends its authentication when null) and keeps
   * the device's presence in step, so deliveries find it exactly while it is authenticated. The
   * reply waits for the presence write: a client told LOGIN_OK is reachable.
   */
  private Future<Void> changeUser(String newUser) {
    String previous = user;
    user = newUser;
    state = newUser == null ? State.OPEN : State.AUTHENTICATED;
    Presence presence = gateway.presence();
    String deviceId = device.toString();
    if (previous != null) {
      gateway.nodeSessions().remove(previous, deviceId, this);
    }
    if (newUser != null) {
      gateway.nodeSessions().add(newUser, deviceId, this);
    }
    Future<Void> left = previous == null || previous.equals(newUser) ? Future.succeededFuture() : presence.unregister(previous, deviceId);
    return left.compose(done -> newUser == null ? Future.succeededFuture() : presence.register(newUser, device.toString(), gateway.node()))
        .recover(failure -> {
          log.warn("presence update for session {} failed: {}", id, failure.getMessage());
          return Future.succeededFuture();
        });
  }

  /** This device's presence entry while authenticated, for the periodic refresh. */
  Optional<Presence.Entry> presenceEntry() {
    return state == State.AUTHENTICATED ? Optional.of(new Presence.Entry(user, device.toString(), gateway.node())) : Optional.empty();
  }

  /**
   * A server push (room events, receipts), from any thread: it is sealed on this session's event
   * loop, and only if the connection is still authenticated as {@code user} when it gets there.
   */
  void pushFromAnyThread(Envelope packet, byte[] encoded, String forUser) {
    gateway.eventLoop().runOnContext(v -> {
      if (state == State.AUTHENTICATED && forUser.equals(user)) {
        send(packet, encoded);
      }
    });
  }

  private void reply(String requestId, Envelope packet) {
    send(packet.withId(requestId));
  }

  private void send(Envelope packet) {
    send(packet, null);
  }

  /**
   * Seals and writes one packet. {@code encoded} is the packet's JSON when the caller already has it:
   * a push to many sessions is encoded once, and only the encryption differs per session.
   */
  private void send(Envelope packet, byte[] encoded) {
    if (state == State.CLOSED) {
      return;
    }
    if (transport.writeQueueFull()) {
      // A reader that cannot keep up is cut off rather than buffered without bound; it syncs later.
      // Aborted, not closed: a graceful close would wait for the queue it will never drain.
      log.debug("dropping {} session {}: write queue full", transport.kind(), id);
      transport.abort();
      leave();
      return;
    }
    if (channel.sendsRemaining() <= 1 && !isStatus(packet, StatusCode.RECONNECT)) {
      closeWith(StatusCode.RECONNECT, "record limit of this channel reached; reconnect");
      return;
    }
    try {
      transport.sendRecord(channel.seal(encoded != null ? encoded : codec.encode(packet)));
    } catch (ChannelExhaustedException e) {
      terminate();
    }
  }

  /**
   * Tells the client why, then closes: encrypted once the channel exists, in plaintext during the
   * handshake (there is nothing to encrypt with yet, and the reason carries no secret).
   */
  void closeWith(StatusCode code, String desc) {
    if (state == State.CLOSED) {
      return;
    }
    Envelope status = Envelope.status(code, desc);
    if (channel != null) {
      send(status);
    } else {
      transport.sendHandshakeFrame(codec.encode(status));
    }
    log.debug("closing {} session {}: {} {}", transport.kind(), id, code, desc);
    terminate();
  }

  private void terminate() {
    if (state != State.CLOSED) {
      transport.close();
      leave();
    }
  }

  private void leave() {
    if (state != State.CLOSED) {
      gateway.metrics().connectionClosed();
    }
    if (state == State.AUTHENTICATED) {
      gateway.nodeSessions().remove(user, device.toString(), this);
      gateway.presence().unregister(user, device.toString());
    }
    state = State.CLOSED;
    gateway.registry().remove(this);
  }

  void onTransportClosed() {
    leave();
  }

  /** Called by the sweeper; closes the session when a timeout has passed. */
  void checkTimeouts(long nowMs) {
    GatewaySettings settings = gateway.settings();
    if ((state == State.AWAITING_INIT || state == State.AWAITING_CLIENT_KEY)
        && nowMs - openedAtMs >= settings.handshakeTimeoutMs()) {
      closeWith(StatusCode.HANDSHAKE_TIMEOUT, "no CONN_OK within " + settings.handshakeTimeoutMs() + " ms");
    } else if (nowMs - lastActivityMs >= settings.idleTimeoutMs()) {
      closeWith(StatusCode.IDLE_TIMEOUT, "nothing received for " + settings.idleTimeoutMs() + " ms");
    }
  }

  private static boolean isStatus(Envelope packet, StatusCode code) {
    return packet.statusCode().filter(code::equals).isPresent();
  }
}
