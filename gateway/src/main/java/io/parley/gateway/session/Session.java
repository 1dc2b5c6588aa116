package io.parley.gateway.session;

import io.parley.gateway.GatewaySettings;
import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.limits.Refusal;
import io.parley.gateway.limits.TokenBucket;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.SessionsRevoked;
import io.parley.shared.channel.ChannelExhaustedException;
import io.parley.shared.channel.RecordException;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.channel.ServerHandshake;
import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.Access;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.Replies;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.protocol.packet.ClientPacket;
import io.parley.shared.protocol.packet.Packets;
import io.parley.shared.token.VerifiedToken;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's state machine, the same for TCP and WebSocket:
 * awaiting CONN_INIT → awaiting the client key → open → authenticated (→ closed).
 *
 * <p>Everything here runs on the connection's event loop, so the session needs no locks. It never
 * blocks: the only waiting is for bus replies, which come back as futures on the same loop.
 */
public final class Session {
  private static final Logger log = LoggerFactory.getLogger(Session.class);

  enum State {
    AWAITING_INIT,
    AWAITING_CLIENT_KEY,
    OPEN,
    AUTHENTICATED,
    CLOSED
  }

  /** How long a client that stopped reading gets to take its SLOW_READER status before the socket is cut. */
  static final long SLOW_READER_GRACE_MS = 5_000;

  private final String id = UUID.randomUUID().toString();
  private final Transport transport;
  private final GatewayContext gateway;
  private final PacketCodec codec;
  private final TokenBucket packetBudget;
  private final ConnectionLimits.Ticket ticket;
  private final long openedAtMs;

  private State state = State.AWAITING_INIT;
  private ServerHandshake handshake;
  private SecureChannel channel;
  private UUID device;
  private String user;
  private long lastActivityMs;
  /** When the token this connection authenticated with (AUTH_TOKEN) expires; 0 when none. */
  private long tokenExpiresAtMs;
  /** When the unfinished frame this connection is sending started; -1 when none. */
  private long frameStartedMs = -1;
  /** Until then further refused packets are dropped without a reply: one RATE_LIMITED per window. */
  private long rateLimitNoticeUntilMs;
  /** Why the server closed this connection; null while open or when the client closed it. */
  private Refusal closeReason;

  public Session(Transport transport, GatewayContext gateway, ConnectionLimits.Ticket ticket) {
    this.transport = transport;
    this.gateway = gateway;
    this.ticket = ticket;
    this.codec = gateway.codec();
    GatewaySettings settings = gateway.settings();
    this.packetBudget = new TokenBucket(settings.packetRatePerSecond(), settings.packetBurst(), gateway.clock());
    this.openedAtMs = gateway.clock().getAsLong();
    this.lastActivityMs = openedAtMs;
    gateway.metrics().connectionOpened(transport.kind());
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
  public void onWebSocketMessage(byte[] frame, boolean text) {
    boolean handshaking = isHandshaking();
    if (state != State.CLOSED && text != handshaking) {
      closeWith(
          handshaking ? Refusal.HANDSHAKE_FAILED : Refusal.PROTOCOL_ERROR,
          handshaking ? "handshake frames must be WebSocket text messages" : "records must be WebSocket binary messages");
      return;
    }
    if (handshaking && frame.length > Limits.HANDSHAKE_FRAME_MAX_BYTES) {
      closeWith(Refusal.FRAME_TOO_LARGE, "a handshake frame is at most " + Limits.HANDSHAKE_FRAME_MAX_BYTES + " bytes");
      return;
    }
    onFrame(frame);
  }

  boolean isHandshaking() {
    return state == State.AWAITING_INIT || state == State.AWAITING_CLIENT_KEY;
  }

  /** The client address the connection was admitted for (the PROXY protocol's, when enabled). */
  String remoteAddress() {
    return ticket.address();
  }

  long openedAtMs() {
    return openedAtMs;
  }

  /**
   * The transport's report after each read: {@code heldBytes} of an unfinished frame are now held
   * for this connection (0 when the last frame completed). Starts or ends the frame deadline and
   * charges the gateway's partial-frame budget, which may close this or an older connection.
   */
  public void onPartialFrame(long heldBytes) {
    if (state == State.CLOSED) {
      return;
    }
    if (heldBytes == 0) {
      frameStartedMs = -1;
    } else if (frameStartedMs < 0) {
      frameStartedMs = gateway.clock().getAsLong();
    }
    gateway.partialFrames().update(this, (int) Math.min(Integer.MAX_VALUE, heldBytes));
  }

  /** One complete frame from the transport: a handshake frame or an encrypted record. */
  public void onFrame(byte[] frame) {
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
      // The ephemeral key is made only now: a connection that never sends CONN_INIT costs no key.
      handshake = new ServerHandshake(gateway.identity(), gateway.random(), gateway.settings().maxRecordsPerDirection());
      byte[] reply = handshake.respond(frame);
      device = handshake.deviceId();
      state = State.AWAITING_CLIENT_KEY;
      transport.sendHandshakeFrame(reply);
    } catch (HandshakeException e) {
      gateway.metrics().handshake(false);
      closeWith(Refusal.HANDSHAKE_FAILED, e.reason());
    }
  }

  private void onClientKey(byte[] frame) {
    try {
      channel = handshake.complete(frame);
      state = State.OPEN;
      transport.sendRecord(handshake.confirmationRecord());
      handshake = null;
      ticket.handshakeDone();
      gateway.registry().handshakeDone(this);
      transport.onHandshakeComplete();
      gateway.metrics().handshake(true);
    } catch (HandshakeException e) {
      gateway.metrics().handshake(false);
      closeWith(Refusal.HANDSHAKE_FAILED, e.reason());
    }
  }

  private void onRecord(byte[] record) {
    byte[] plaintext;
    try {
      plaintext = channel.open(record);
    } catch (RecordException e) {
      // Tampered, replayed, reordered or over the record limit: the stream can no longer be trusted.
      closeWith(Refusal.PROTOCOL_ERROR, "a record failed to authenticate");
      return;
    }
    // Every record is charged before it is read, so error replies cost the sender as much as answers.
    if (!chargeBudgets()) {
      return;
    }
    Envelope request;
    try {
      request = codec.decode(plaintext);
    } catch (MalformedPacketException e) {
      closeWith(Refusal.PROTOCOL_ERROR, e.getMessage());
      return;
    } catch (PacketCodec.BadPacketEnvelope e) {
      send(e.toStatus());
      return;
    }
    handleRequest(request);
  }

  /**
   * Takes one packet from the connection's, the account's and the address's budgets. Over any of
   * them the packet is dropped; the first drop in a window is answered with one RATE_LIMITED carrying
   * {@code retry_after_ms} (no request id: it answers no single request), the rest get nothing, so a
   * flood can never fill the write queue with refusals and the connection stays.
   */
  private boolean chargeBudgets() {
    Refusal refused = packetBudget.tryTake() ? gateway.budgets().charge(user, transport.remoteAddress()) : Refusal.PACKET_RATE;
    if (refused == null) {
      return true;
    }
    gateway.refusals().record(refused, transport.remoteAddress());
    long now = gateway.clock().getAsLong();
    if (now >= rateLimitNoticeUntilMs) {
      long retryAfter = Math.max(1, refused == Refusal.PACKET_RATE
          ? packetBudget.retryAfterMs()
          : gateway.budgets().retryAfterMs(refused, user, transport.remoteAddress()));
      rateLimitNoticeUntilMs = now + retryAfter;
      send(Replies.rateLimited(refused.desc() + "; packets are dropped until retry_after_ms has passed", retryAfter));
    }
    return false;
  }

  private void handleRequest(Envelope request) {
    String requestId = request.id();
    Optional<PacketType> known = request.packetType();
    if (known.isEmpty() || !known.get().isClientRequest()) {
      reply(requestId, Envelope.status(StatusCode.UNKNOWN_TYPE, "no client request has this type"));
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
          .onComplete(done -> {
            if (state == State.CLOSED) {
              return;
            }
            if (done.failed()) {
              reply(requestId, authTokenFailure(done.cause()));
              return;
            }
            VerifiedToken token = done.result();
            Refusal over = admitUser(token.user());
            if (over != null) {
              reply(requestId, Envelope.status(over.status(), over.desc()));
              return;
            }
            changeUser(token.user()).onComplete(changed -> {
              if (state != State.CLOSED) {
                tokenExpiresAtMs = token.expiresAt().toEpochMilli();
                reply(requestId, Replies.loginOk(token.user()));
              }
            });
          });
      return;
    }
    BusRequest busRequest =
        new BusRequest(user, device.toString(), id, gateway.node(), transport.remoteAddress(), requestId, packet);
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
    if (cause instanceof StatusException refused && refused.code() == StatusCode.TOKEN_REFUSED) {
      gateway.refusals().record(Refusal.TOKEN_REFUSED, transport.remoteAddress());
      return refused.toStatus();
    }
    log.warn("AUTH_TOKEN on session {} could not be checked: {}", id, cause.toString());
    return Envelope.status(StatusCode.UNAVAILABLE, "the token could not be checked right now; retry");
  }

  private void onReply(String requestId, BusReply reply) {
    if (state == State.CLOSED) {
      return;
    }
    String newUser = reply.session() == null ? null : reply.session().user();
    Refusal over = newUser == null ? null : admitUser(newUser);
    if (over != null) {
      reply(requestId, Envelope.status(over.status(), over.desc()));
      return;
    }
    Future<Void> sessionChanged = reply.session() == null ? Future.succeededFuture() : changeUser(newUser);
    sessionChanged.onComplete(done -> {
      if (state != State.CLOSED) {
        reply(requestId, reply.packet());
      }
    });
  }

  /**
   * The connection caps that apply when this connection authenticates as {@code newUser}: an account
   * over its cap is refused (the connection stays, unauthenticated); a device over its cap keeps the
   * newest connection and closes its oldest, because a phone that lost its network reconnects before
   * the server notices the old connection is dead, and must never lock itself out.
   */
  private Refusal admitUser(String newUser) {
    if (newUser.equals(user)) {
      return null;
    }
    NodeSessions sessions = gateway.nodeSessions();
    GatewaySettings settings = gateway.settings();
    if (sessions.accountSessions(newUser) >= settings.maxConnectionsPerAccount()) {
      gateway.refusals().record(Refusal.ACCOUNT_CONNECTIONS, transport.remoteAddress());
      return Refusal.ACCOUNT_CONNECTIONS;
    }
    String deviceId = device.toString();
    while (sessions.deviceSessions(newUser, deviceId) >= settings.maxConnectionsPerDevice()) {
      Optional<Session> oldest = sessions.oldestOfDevice(newUser, deviceId);
      if (oldest.isEmpty()) {
        break;
      }
      sessions.remove(newUser, deviceId, oldest.get());
      gateway.refusals().record(Refusal.DEVICE_CONNECTIONS, oldest.get().transport.remoteAddress());
      oldest.get().refuseFromAnyThread(Refusal.DEVICE_CONNECTIONS);
    }
    return null;
  }

  /** Presence writes tried before LOGIN_OK is answered anyway; see {@link #changeUser}. */
  static final int PRESENCE_WRITE_ATTEMPTS = 3;

  /** Pause before the second attempt, doubled before each further one: 100 + 200 ms in all. */
  static final long PRESENCE_RETRY_FIRST_MS = 100;

  /** One attempt's limit: a healthy write takes about a millisecond, a Redis that hangs must not hold the login. */
  static final long PRESENCE_WRITE_TIMEOUT_MS = 1_000;

  /**
   * Authenticates the connection as {@code newUser} (or ends its authentication when null) and keeps
   * the device's presence in step, so deliveries find it exactly while it is authenticated. The
   * reply waits for the presence write, retried {@link #PRESENCE_WRITE_ATTEMPTS} times with backoff,
   * so a client told LOGIN_OK is normally reachable through presence at once.
   *
   * <p>When every attempt fails the login is answered all the same, not refused with UNAVAILABLE.
   * Presence is the fast path of live delivery, not what makes the session reachable: while Redis
   * cannot be read the message service asks every gateway (the broadcast delivery), which finds this
   * session in {@link NodeSessions}; the gateway retries the write every second
   * ({@link SessionRegistry#presenceFailed}) and the message service keeps broadcasting for a refresh
   * period after Redis answers again, so the entry is back before presence is trusted again; and
   * anything missed in between is in the room log for SYNC_ROOM_REQ. Refusing instead would turn a
   * Redis outage into an outage of every reconnecting client, although AUTH_TOKEN itself works without
   * Redis (the auth service answers the revocation check).
   */
  private Future<Void> changeUser(String newUser) {
    String previous = user;
    user = newUser;
    tokenExpiresAtMs = 0;
    state = newUser == null ? State.OPEN : State.AUTHENTICATED;
    Presence presence = gateway.presence();
    String deviceId = device.toString();
    if (previous != null) {
      gateway.nodeSessions().remove(previous, deviceId, this);
    }
    if (newUser != null) {
      gateway.nodeSessions().add(newUser, deviceId, this);
    }
    // A stale entry left by a failed removal costs only pushes this session drops (they name the old
    // user) until it expires; it must not keep the new user's entry from being written.
    Future<Void> left =
        previous == null || previous.equals(newUser)
            ? Future.succeededFuture()
            : presence.unregister(previous, deviceId).recover(failure -> Future.succeededFuture());
    if (newUser == null) {
      return left;
    }
    return left.compose(done -> registerPresence(newUser, deviceId, 1, PRESENCE_RETRY_FIRST_MS))
        .recover(failure -> {
          gateway.registry().presenceFailed(gateway.clock().getAsLong(), failure);
          return Future.succeededFuture();
        });
  }

  private Future<Void> registerPresence(String forUser, String deviceId, int attempt, long pauseMs) {
    return gateway.presence().register(forUser, deviceId, gateway.node())
        .timeout(PRESENCE_WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(failure -> {
          if (attempt >= PRESENCE_WRITE_ATTEMPTS) {
            return Future.failedFuture(failure);
          }
          return gateway.eventLoop().owner().timer(pauseMs, TimeUnit.MILLISECONDS)
              .compose(paused -> state == State.AUTHENTICATED && forUser.equals(user)
                  ? registerPresence(forUser, deviceId, attempt + 1, pauseMs * 2)
                  : Future.succeededFuture());
        });
  }

  /**
   * A revocation published by the auth service (LOGOUT elsewhere, REVOKE_DEVICE), from any thread:
   * if it covers this session when it reaches its event loop, the session is told LOGGED_OUT and is
   * no longer authenticated; the connection stays, so the client can log in again on it.
   */
  void revokeFromAnyThread(SessionsRevoked revoked) {
    gateway.eventLoop().runOnContext(v -> {
      if (state == State.AUTHENTICATED && revoked.covers(user, device.toString(), id)) {
        endAuthentication(StatusCode.LOGGED_OUT, "this device was logged out or revoked; log in again");
      }
    });
  }

  /** Ends the authentication, not the connection, and says why in an id-less STATUS. */
  private void endAuthentication(StatusCode reason, String desc) {
    log.debug("session {} unauthenticated: {}", id, reason);
    changeUser(null);
    send(Envelope.status(reason, desc));
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
    pushFromAnyThread(packet, encoded, forUser, null);
  }

  /** As above, except when this connection's device is {@code skipDevice} (it caused the packet). */
  void pushFromAnyThread(Envelope packet, byte[] encoded, String forUser, String skipDevice) {
    gateway.eventLoop().runOnContext(v -> {
      if (state == State.AUTHENTICATED && forUser.equals(user) && !device.toString().equals(skipDevice)) {
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
      closeWith(Refusal.SLOW_READER, Refusal.SLOW_READER.desc());
      return;
    }
    if (channel.sendsRemaining() <= 1 && !isStatus(packet, StatusCode.RECONNECT)) {
      closeWith(Refusal.RECORD_LIMIT, Refusal.RECORD_LIMIT.desc());
      return;
    }
    seal(packet, encoded);
  }

  private void seal(Envelope packet, byte[] encoded) {
    try {
      transport.sendRecord(channel.seal(encoded != null ? encoded : codec.encode(packet)));
    } catch (ChannelExhaustedException e) {
      terminate();
    }
  }

  /** Closes with the refusal's own fixed phrase. */
  void refuse(Refusal refusal) {
    closeWith(refusal, refusal.desc());
  }

  /** {@link #refuse} from another event loop (another gateway instance evicting this session). */
  void refuseFromAnyThread(Refusal refusal) {
    gateway.eventLoop().runOnContext(v -> refuse(refusal));
  }

  /**
   * Tells the client why, then closes: encrypted once the channel exists, in plaintext during the
   * handshake (there is nothing to encrypt with yet, and the reason carries no secret). Every close
   * the server decides on goes through here, so each is counted by reason. A client whose write queue
   * is full still gets its SLOW_READER status queued behind the rest, and a few seconds to read it
   * before the socket is cut.
   */
  public void closeWith(Refusal reason, String desc) {
    if (state == State.CLOSED) {
      return;
    }
    closeReason = reason;
    Envelope status = Envelope.status(reason.status(), desc);
    if (channel != null) {
      if (channel.sendsRemaining() > 0) {
        seal(status, null);
      }
    } else {
      transport.sendHandshakeFrame(codec.encode(status));
    }
    log.debug("closing {} session {}: {} {}", transport.kind(), id, reason.status(), desc);
    if (reason != Refusal.SHUTDOWN && reason != Refusal.RECORD_LIMIT && reason != Refusal.IDLE_TIMEOUT) {
      gateway.refusals().record(reason, transport.remoteAddress());
    }
    if (reason == Refusal.SLOW_READER || reason == Refusal.PARTIAL_FRAME_BUDGET) {
      // Neither the queue nor a half-sent frame will drain soon: give the status a moment, then cut.
      transport.close();
      gateway.eventLoop().owner().setTimer(SLOW_READER_GRACE_MS, t -> transport.abort());
      leave();
      return;
    }
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
      gateway.metrics().connectionClosed(transport.kind(), closeReason);
      ticket.release();
      gateway.partialFrames().update(this, 0);
    }
    if (state == State.AUTHENTICATED) {
      gateway.nodeSessions().remove(user, device.toString(), this);
      gateway.presence().unregister(user, device.toString());
    }
    state = State.CLOSED;
    gateway.registry().remove(this);
  }

  public void onTransportClosed() {
    leave();
  }

  /** Called by the sweeper; closes the session when a timeout has passed, or ends an expired token's authentication. */
  void checkTimeouts(long nowMs) {
    GatewaySettings settings = gateway.settings();
    if (state == State.AUTHENTICATED && tokenExpiresAtMs > 0 && nowMs >= tokenExpiresAtMs) {
      endAuthentication(StatusCode.TOKEN_EXPIRED, "the token this connection authenticated with has expired; log in again");
    }
    if (isHandshaking() && nowMs - openedAtMs >= settings.handshakeTimeoutMs()) {
      closeWith(Refusal.HANDSHAKE_TIMEOUT, "no CONN_OK within " + settings.handshakeTimeoutMs() + " ms");
    } else if (frameStartedMs >= 0 && nowMs - frameStartedMs >= settings.frameReadTimeoutMs()) {
      closeWith(Refusal.FRAME_TIMEOUT, "a frame was started but not finished within " + settings.frameReadTimeoutMs() + " ms");
    } else if (nowMs - lastActivityMs >= settings.idleTimeoutMs()) {
      closeWith(Refusal.IDLE_TIMEOUT, "nothing received for " + settings.idleTimeoutMs() + " ms");
    }
  }

  private static boolean isStatus(Envelope packet, StatusCode code) {
    return packet.statusCode().filter(code::equals).isPresent();
  }
}
