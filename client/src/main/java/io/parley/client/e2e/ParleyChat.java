package io.parley.client.e2e;

import io.parley.client.Accounts;
import io.parley.client.CaptchaSolver;
import io.parley.client.ClientOptions;
import io.parley.client.IdentityMismatchException;
import io.parley.client.Messages;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.client.Rooms;
import io.parley.client.Transport;
import io.parley.shared.channel.Pem;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.Logout;
import io.parley.shared.protocol.packet.MessageFormat;
import io.parley.shared.protocol.packet.RoomType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The high-level, end-to-end-encrypted Parley client: one object per device and server, with its
 * state in a {@link ChatHome} directory. It signs up and logs in, keeps the session token, resumes
 * with AUTH_TOKEN, seals every message, edit and delete reason for the room's member devices and opens
 * what arrives, and delivers each room's events to the listeners exactly once and in order — live
 * pushes and synced pages alike, across reconnects and restarts (a per-room cursor, persisted).
 *
 * <p>Delivery contract: per room, events reach {@link #onEvent} listeners in {@code seq} order without
 * gaps, starting after the persisted cursor (for a room without a cursor, the latest page). A gap in
 * the live pushes (a dropped push, a reconnect) triggers a SYNC_ROOM_REQ from the cursor before the
 * next event is delivered. Listeners run on Vert.x threads and must not block.
 *
 * <p>Create with {@link #open} (blocking: reads the state directory), then {@link #connect}.
 */
public final class ParleyChat {
  private static final Logger log = LoggerFactory.getLogger(ParleyChat.class);

  /** Events per SYNC_ROOM_REQ page when catching up. */
  static final int SYNC_PAGE = 200;
  /** Events delivered for a room the client has no cursor for. */
  static final int FIRST_SIGHT_PAGE = 50;
  static final long RECONNECT_MIN_MS = 200;
  static final long RECONNECT_MAX_MS = 10_000;

  /**
   * Where to connect and where the state lives.
   *
   * @param pinnedFingerprint the server identity to insist on; null: trust on first use (home/known_servers)
   * @param reconnect reconnect and resync by itself after a lost connection
   */
  public record Options(String host, int port, Transport transport, Path home, String pinnedFingerprint, boolean reconnect) {
    public static Options tcp(String host, int port, Path home) {
      return new Options(host, port, Transport.TCP, home, null, true);
    }

    public Options withPinnedFingerprint(String fingerprint) {
      return new Options(host, port, transport, home, fingerprint, reconnect);
    }

    public Options withReconnect(boolean enabled) {
      return new Options(host, port, transport, home, pinnedFingerprint, enabled);
    }

    String server() {
      return host + ":" + port;
    }
  }

  /** Where an action landed, and which member devices could not be wrapped for (changed keys). */
  public record Sent(UUID event, long seq, int recipientDevices, List<String> skippedDevices) {}

  /** Connection life cycle, for a status line. */
  public enum ConnectionState { CONNECTED, DISCONNECTED, RECONNECTING, FAILED }

  private final Vertx vertx;
  private final Options options;
  private final ChatHome home;
  private final KeyPins pins;
  private final MessageCrypto crypto;
  private final Map<UUID, RoomState> roomStates = new ConcurrentHashMap<>();
  private final Map<UUID, Directory> directories = new ConcurrentHashMap<>();
  private final List<Consumer<ChatEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<JsonObject>> receiptListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> warningListeners = new CopyOnWriteArrayList<>();

  private volatile ParleyConnection connection;
  private volatile ChatHome.Session session;
  private volatile boolean closing;
  private volatile Throwable lastConnectFailure;
  private long reconnectDelay = RECONNECT_MIN_MS;
  private boolean reconnectPending;
  private Future<Void> saveTail = Future.succeededFuture();
  private boolean cursorSaveQueued;
  private boolean pinsSaveQueued;

  /** Delivery state of one room: the cursor, and the tail of its serial processing chain. */
  private static final class RoomState {
    long lastSeq;
    UUID lastEvent;
    Future<Void> tail = Future.succeededFuture();
  }

  /** A room's key directory as last read, each device judged against the pins. */
  private record Directory(Map<UUID, MemberKeys.Device> devices, Map<UUID, String> owners, List<MemberKeys> members) {}

  private ParleyChat(Vertx vertx, Options options, ChatHome home, KeyPins pins, Map<UUID, ChatHome.Cursor> cursors, ChatHome.Session session) {
    this.vertx = vertx;
    this.options = options;
    this.home = home;
    this.pins = pins;
    this.crypto = new MessageCrypto(home.chatKey(), home.device());
    cursors.forEach((room, cursor) -> {
      RoomState state = new RoomState();
      state.lastSeq = cursor.seq();
      state.lastEvent = cursor.event();
      roomStates.put(room, state);
    });
    this.session = session;
  }

  /**
   * Blocking (reads the state directory; call it at startup, not on an event loop). Fails with
   * {@link ChatKeyException} when the chat key file is corrupted or readable by others.
   */
  public static ParleyChat open(Vertx vertx, Options options) throws IOException {
    ChatHome home = ChatHome.open(options.home());
    KeyPins pins = KeyPins.load(home.deviceKeysFile());
    Optional<ChatHome.Session> session = home.loadSession().filter(s -> s.server().equals(options.server()));
    Map<UUID, ChatHome.Cursor> cursors = session.isPresent() ? home.loadCursors() : Map.of();
    return new ParleyChat(vertx, options, home, pins, cursors, session.orElse(null));
  }

  // ---------------------------------------------------------------- listeners and accessors

  /** Room events, per room in order and exactly once (see the class comment). */
  public ParleyChat onEvent(Consumer<ChatEvent> listener) {
    listeners.add(listener);
    return this;
  }

  /** READ_RECEIPT pushes: {room, msg, user, seq}. */
  public ParleyChat onReceipt(Consumer<JsonObject> listener) {
    receiptListeners.add(listener);
    return this;
  }

  public ParleyChat onConnectionState(Consumer<ConnectionState> listener) {
    stateListeners.add(listener);
    return this;
  }

  /** Key changes and other things a person should know about. */
  public ParleyChat onWarning(Consumer<String> listener) {
    warningListeners.add(listener);
    return this;
  }

  public ChatHome home() {
    return home;
  }

  public UUID device() {
    return home.device();
  }

  public ChatKey chatKey() {
    return home.chatKey();
  }

  public KeyPins pins() {
    return pins;
  }

  /** The logged-in (folded) username, if there is a saved session. */
  public Optional<String> user() {
    ChatHome.Session s = session;
    return s == null ? Optional.empty() : Optional.of(s.user());
  }

  public boolean hasSession() {
    return session != null;
  }

  /** The current connection (null before {@link #connect}); advanced use and tests. */
  public ParleyConnection connection() {
    return connection;
  }

  public Vertx vertx() {
    return vertx;
  }

  // ---------------------------------------------------------------- connecting

  /**
   * Connects, proves the server's identity against the pin (or remembers it on first use), and when a
   * session is saved resumes it with AUTH_TOKEN and catches up every room. Fails with
   * {@link IdentityMismatchException} when the server's identity changed, and with
   * {@link ParleyStatusException} TOKEN_REFUSED when the saved session is no longer valid (it is
   * forgotten; log in again).
   */
  public Future<ParleyConnection> connect() {
    closing = false;
    return openConnection().compose(conn -> resumeIfSaved().map(conn));
  }

  private Future<ParleyConnection> openConnection() {
    ClientOptions clientOptions =
        new ClientOptions(
            options.host(), options.port(), options.transport(), home.device(), options.pinnedFingerprint(),
            home.knownServersFile(), ClientOptions.DEFAULT_REQUEST_TIMEOUT_MS, ClientOptions.DEFAULT_MAX_FRAME_BYTES);
    return ParleyClient.connect(vertx, clientOptions).map(conn -> {
      this.connection = conn;
      conn.onPush(packet -> onPush(conn, packet));
      conn.closed().onComplete(info -> onClosed(conn));
      return conn;
    });
  }

  private Future<Void> resumeIfSaved() {
    ChatHome.Session s = session;
    if (s == null) {
      return Future.succeededFuture();
    }
    return new Accounts(connection).resume(s.user(), s.token())
        .recover(failure -> {
          if (failure instanceof ParleyStatusException status && status.code().filter(StatusCode.TOKEN_REFUSED::equals).isPresent()) {
            session = null;
            return blocking(() -> home.saveSession(null)).compose(v -> Future.failedFuture(failure));
          }
          return Future.failedFuture(failure);
        })
        .onSuccess(v -> emitState(ConnectionState.CONNECTED))
        .compose(v -> syncAll());
  }

  private void onClosed(ParleyConnection conn) {
    if (conn != connection || closing) {
      return;
    }
    emitState(ConnectionState.DISCONNECTED);
    if (options.reconnect() && session != null) {
      scheduleReconnect();
    }
  }

  private synchronized void scheduleReconnect() {
    if (reconnectPending || closing) {
      return;
    }
    reconnectPending = true;
    long delay = reconnectDelay;
    reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
    vertx.setTimer(delay, t -> {
      synchronized (this) {
        reconnectPending = false;
      }
      if (closing) {
        return;
      }
      emitState(ConnectionState.RECONNECTING);
      openConnection()
          .compose(conn -> resumeIfSaved())
          .onSuccess(v -> reconnectDelay = RECONNECT_MIN_MS)
          .onFailure(failure -> {
            lastConnectFailure = failure;
            if (failure instanceof IdentityMismatchException || isTokenRefused(failure)) {
              warn(failure.getMessage());
              emitState(ConnectionState.FAILED);
              return;
            }
            scheduleReconnect();
          });
    });
  }

  /** Why the last automatic reconnect failed, if it did. */
  public Optional<Throwable> lastConnectFailure() {
    return Optional.ofNullable(lastConnectFailure);
  }

  private static boolean isTokenRefused(Throwable failure) {
    return failure instanceof ParleyStatusException status && status.code().filter(StatusCode.TOKEN_REFUSED::equals).isPresent();
  }

  /** Closes the connection without logging out; the session and cursors stay for next time. */
  public Future<Void> close() {
    closing = true;
    ParleyConnection conn = connection;
    Future<Void> closed = conn == null ? Future.succeededFuture() : conn.close().recover(e -> Future.succeededFuture());
    return closed.compose(v -> flush());
  }

  /** Completes when every state write queued so far (cursors, pins, session) is on disk. */
  public synchronized Future<Void> flush() {
    return saveTail;
  }

  // ---------------------------------------------------------------- accounts

  /** SIGNUP with its captcha (proof of work solved here, with progress; images go to {@code solver}). */
  public Future<Void> signup(String user, String email, String fullname, LocalDate dob, String password, CaptchaSolver solver) {
    return new Accounts(requireConnection()).signup(user, email, fullname, dob, password, solver);
  }

  /**
   * LOGIN, then CHAT_ENCRYPT_C with this device's chat key → token, saved in the state directory
   * (mode 600) for AUTH_TOKEN next time; then catches up every room. {@code save}: a 30-day token.
   */
  public Future<Void> login(String id, String password, boolean save) {
    return login(id, password, save, png -> Future.failedFuture(
        new IllegalStateException("the server asks for an image captcha; log in with a CaptchaSolver")));
  }

  /** {@link #login(String, String, boolean)}, with {@code solver} for the captcha the server may ask for after many failed logins. */
  public Future<Void> login(String id, String password, boolean save, CaptchaSolver solver) {
    return new Accounts(requireConnection())
        .login(id, password, save, chatKey().publicPem(), solver)
        .compose(token -> {
          ChatHome.Session s = new ChatHome.Session(options.server(), usernameOf(token, id), token);
          session = s;
          return blocking(() -> home.saveSession(s));
        })
        .onSuccess(v -> emitState(ConnectionState.CONNECTED))
        .compose(v -> syncAll());
  }

  /** LOGOUT: revokes this device's tokens and forgets the session. */
  public Future<Void> logout() {
    return logout(Logout.Scope.DEVICE);
  }

  /** LOGOUT with a scope ({@code ALL}: every device of the account is logged out) and forgets the session. */
  public Future<Void> logout(Logout.Scope scope) {
    return new Accounts(requireConnection()).logout(scope).compose(v -> {
      session = null;
      return blocking(() -> home.saveSession(null));
    });
  }

  /** DEVICES: every device that has logged in to this account. */
  public Future<List<Accounts.Device>> devices() {
    return new Accounts(requireConnection()).devices();
  }

  /** REVOKE_DEVICE: cuts off one of this account's devices (a lost phone). */
  public Future<Void> revokeDevice(UUID device) {
    return new Accounts(requireConnection()).revokeDevice(device);
  }

  /**
   * The folded username for AUTH_TOKEN. LOGIN_OK does not carry it and the login id may be an email,
   * so it is read from the token's {@code sub} claim (docs/protocol.md, CHAT_ENCRYPT_C).
   */
  static String usernameOf(String token, String loginId) {
    try {
      String[] parts = token.split("\\.");
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      String sub = claims.getString("sub");
      if (sub != null) {
        return sub;
      }
    } catch (RuntimeException ignored) {
      // fall through: an opaque token
    }
    return loginId.toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------- rooms

  public Future<List<RoomSummary>> rooms() {
    return rooms0().roomList().map(list -> list.stream().map(JsonObject.class::cast).map(RoomSummary::fromJson).toList());
  }

  public Future<UUID> createGroup(String name, List<String> people) {
    return rooms0().createRoom(RoomType.GROUP, name, people);
  }

  public Future<UUID> createChannel(String name, List<String> people) {
    return rooms0().createRoom(RoomType.CHANNEL, name, people);
  }

  public Future<UUID> createDirect(String other) {
    return rooms0().createRoom(RoomType.DIRECT, null, List.of(other));
  }

  public Future<Void> addMembers(UUID room, List<String> people) {
    return rooms0().addMembers(room, people).onComplete(done -> directories.remove(room));
  }

  public Future<Void> removeMember(UUID room, String user) {
    return rooms0().removeMember(room, user).onComplete(done -> directories.remove(room));
  }

  public Future<Void> rename(UUID room, String name) {
    return rooms0().rename(room, name);
  }

  public Future<Void> leave(UUID room) {
    return rooms0().leave(room);
  }

  public Future<Void> promote(UUID room, String user) {
    return rooms0().promote(room, user);
  }

  public Future<Void> demote(UUID room, String user) {
    return rooms0().demote(room, user);
  }

  public Future<Void> deleteRoom(UUID room) {
    return rooms0().deleteRoom(room);
  }

  /** The room's members with their devices' keys as the key directory lists them, judged against the pins. */
  public Future<List<MemberKeys>> members(UUID room) {
    return fetchDirectory(room).map(Directory::members);
  }

  /** The user accepts the key the directory now lists for {@code device} (after checking it out of band). */
  public Future<Void> trustKey(UUID room, UUID device) {
    return fetchDirectory(room).compose(dir -> {
      MemberKeys.Device entry = dir.devices().get(device);
      if (entry == null) {
        return Future.failedFuture(new IllegalArgumentException("device " + device + " is not in the key directory of " + room));
      }
      pins.accept(device, dir.owners().get(device), entry.key());
      directories.remove(room);
      return queuePinsSave();
    });
  }

  // ---------------------------------------------------------------- messages

  /** Seals {@code text} for every member device of the room (fresh key directory) and sends it. */
  public Future<Sent> send(UUID room, String text) {
    String requestId = "m-" + UUID.randomUUID();
    return sealFor(room, SealContext.message(room, requireUser()), text)
        .compose(sealed -> messages().send(room, sealed.content, requestId)
            .map(ack -> {
              selfEvent(room, ack, RoomEventKind.MESSAGE_SENT, new JsonObject().put("format", MessageFormat.TEXT.wireName()).put("content", sealed.content));
              return new Sent(ack.event(), ack.seq(), sealed.recipients, sealed.skipped);
            }));
  }

  /** Replaces the text of one of this user's messages; sealed like a message, bound to {@code msg}. */
  public Future<Sent> edit(UUID room, UUID msg, String text) {
    return sealFor(room, SealContext.edit(room, msg, requireUser()), text)
        .compose(sealed -> messages().edit(room, msg, sealed.content)
            .map(ack -> {
              selfEvent(room, ack, RoomEventKind.MESSAGE_EDITED, new JsonObject().put("msg", msg.toString()).put("content", sealed.content));
              return new Sent(ack.event(), ack.seq(), sealed.recipients, sealed.skipped);
            }));
  }

  /** Deletes a message; the reason, when given, is sealed like a message and bound to {@code msg}. */
  public Future<Sent> delete(UUID room, UUID msg, String reason) {
    Future<Sealed> sealedReason = reason == null || reason.isBlank()
        ? Future.succeededFuture(null)
        : sealFor(room, SealContext.deleteReason(room, msg, requireUser()), reason);
    return sealedReason.compose(sealed -> messages().delete(room, msg, sealed == null ? null : sealed.content)
        .map(ack -> {
          JsonObject data = new JsonObject().put("msg", msg.toString());
          if (sealed != null) {
            data.put("reason", sealed.content);
          }
          selfEvent(room, ack, RoomEventKind.MESSAGE_DELETED, data);
          return new Sent(ack.event(), ack.seq(), sealed == null ? 0 : sealed.recipients, sealed == null ? List.of() : sealed.skipped);
        }));
  }

  public Future<Sent> pin(UUID room, UUID msg) {
    return messages().pin(room, msg).map(ack -> {
      selfEvent(room, ack, RoomEventKind.MESSAGE_PINNED, new JsonObject().put("msg", msg.toString()));
      return new Sent(ack.event(), ack.seq(), 0, List.of());
    });
  }

  /** READ_RECEIPT: everything up to {@code event} is read. */
  public Future<Void> markRead(UUID room, UUID event) {
    return messages().readReceipt(room, event);
  }

  /** The latest {@code count} events of a room, opened, oldest first. Does not move the cursor. */
  public Future<List<ChatEvent>> history(UUID room, int count) {
    return messages().syncAfter(room, null, Math.min(count, 500)).compose(page -> decodeAll(page.events()));
  }

  /** Catches up every room of the user from its cursor (ROOM_LIST, then SYNC_ROOM_REQ per room). */
  public Future<Void> syncAll() {
    return rooms().compose(list -> {
      List<Future<Void>> all = new ArrayList<>();
      for (RoomSummary room : list) {
        all.add(syncRoom(room.room()));
      }
      return Future.all(all).<Void>mapEmpty();
    });
  }

  /** Catches up one room from its cursor. */
  public Future<Void> syncRoom(UUID room) {
    RoomState state = roomStates.computeIfAbsent(room, r -> new RoomState());
    return enqueue(state, () -> catchUp(room, state));
  }

  // ---------------------------------------------------------------- sealing

  private record Sealed(String content, int recipients, List<String> skipped) {}

  private Future<Sealed> sealFor(UUID room, SealContext context, String text) {
    // A fresh directory for every send: a member removed a moment ago must not get this message's key.
    return fetchDirectory(room).compose(dir -> {
      List<Recipient> recipients = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      recipients.add(new Recipient(requireUser(), device(), chatKey().publicKey()));
      dir.devices().forEach((device, entry) -> {
        if (device.equals(device())) {
          return;
        }
        if (entry.pin() == KeyPins.Verdict.CHANGED) {
          skipped.add(dir.owners().get(device) + "/" + device);
        } else {
          recipients.add(new Recipient(dir.owners().get(device), device, entry.key()));
        }
      });
      try {
        return Future.succeededFuture(new Sealed(crypto.seal(context, text, recipients), recipients.size(), skipped));
      } catch (E2eException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private Future<Directory> fetchDirectory(UUID room) {
    return rooms0().roomInfo(room).compose(info -> {
      Map<UUID, MemberKeys.Device> devices = new LinkedHashMap<>();
      Map<UUID, String> owners = new HashMap<>();
      List<MemberKeys> members = new ArrayList<>();
      boolean pinned = false;
      for (Object m : info.getJsonArray("members", new JsonArray())) {
        JsonObject member = (JsonObject) m;
        String user = member.getString("user");
        List<MemberKeys.Device> memberDevices = new ArrayList<>();
        for (Object d : member.getJsonArray("devices", new JsonArray())) {
          JsonObject dev = (JsonObject) d;
          UUID id;
          byte[] key;
          try {
            id = UUID.fromString(dev.getString("device"));
            key = Pem.decodePublic(Pem.KeyType.X25519, dev.getString("chat_pubkey"), "chat_pubkey");
          } catch (Exception e) {
            warn("the key directory of room " + room + " lists an unusable key for " + user + ": " + e.getMessage());
            continue;
          }
          KeyPins.Verdict verdict = pins.check(id, user, key);
          if (verdict == KeyPins.Verdict.NEW) {
            pinned = true;
          } else if (verdict == KeyPins.Verdict.CHANGED) {
            warn("the chat key of " + user + "'s device " + id + " changed to " + ChatKey.fingerprint(key)
                + "; that device gets no messages from here until you trust the new key (/trust)");
          }
          MemberKeys.Device entry = new MemberKeys.Device(id, key, verdict);
          devices.put(id, entry);
          owners.put(id, user);
          memberDevices.add(entry);
        }
        members.add(new MemberKeys(user, member.getString("role"), memberDevices));
      }
      Directory dir = new Directory(devices, owners, members);
      directories.put(room, dir);
      return pinned ? queuePinsSave().map(dir) : Future.succeededFuture(dir);
    });
  }

  // ---------------------------------------------------------------- receiving

  private void onPush(ParleyConnection conn, Envelope packet) {
    if (conn != connection) {
      return;
    }
    if (packet.is(PacketType.ROOM_EVENT)) {
      RoomEvent event;
      try {
        event = RoomEvent.fromJson(packet.data());
      } catch (RuntimeException e) {
        log.warn("ignoring a ROOM_EVENT this client does not understand: {}", e.getMessage());
        return;
      }
      accept(event);
    } else if (packet.is(PacketType.READ_RECEIPT)) {
      receiptListeners.forEach(l -> l.accept(packet.data()));
    } else if (packet.statusCode().filter(code -> code == StatusCode.LOGGED_OUT || code == StatusCode.TOKEN_EXPIRED).isPresent()) {
      // The server ended this device's authentication: the saved session is worthless now.
      String why = packet.statusCode().get() == StatusCode.LOGGED_OUT
          ? "this device was logged out (LOGOUT or REVOKE_DEVICE elsewhere); log in again"
          : "the session expired; log in again";
      session = null;
      blocking(() -> home.saveSession(null)).onComplete(saved -> warningListeners.forEach(l -> l.accept(why)));
    }
  }

  /** The sending device gets MSG_OK instead of a push: it feeds itself the event it caused. */
  private void selfEvent(UUID room, Messages.Ack ack, RoomEventKind kind, JsonObject data) {
    accept(new RoomEvent(ack.event(), room, ack.seq(), kind, requireUser(), device(), Instant.now(), data));
  }

  private void accept(RoomEvent event) {
    RoomState state = roomStates.computeIfAbsent(event.room(), r -> new RoomState());
    enqueue(state, () -> {
      if (event.seq() <= state.lastSeq) {
        return Future.succeededFuture(); // already delivered (a push racing a sync, a duplicate)
      }
      if (state.lastEvent != null && event.seq() > state.lastSeq + 1) {
        return catchUp(event.room(), state); // a gap: the log has it, and this event after it
      }
      if (state.lastEvent == null && event.seq() > 1) {
        return catchUp(event.room(), state); // first sight of a room with history: its latest page
      }
      if (isMembership(event.kind())) {
        directories.remove(event.room());
      }
      return decode(event).map(chatEvent -> {
        deliver(state, chatEvent);
        return null;
      });
    });
  }

  private static boolean isMembership(RoomEventKind kind) {
    return kind.isMembershipOrMetadata() || kind == RoomEventKind.KEY_SAVED;
  }

  private Future<Void> enqueue(RoomState state, java.util.function.Supplier<Future<Void>> step) {
    synchronized (state) {
      Future<Void> next = state.tail.transform(ignored -> {
        try {
          return step.get();
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      });
      state.tail = next.recover(e -> {
        log.warn("room processing step failed: {}", e.toString());
        return Future.succeededFuture();
      });
      return next;
    }
  }

  /** Pages through SYNC_ROOM_REQ after the cursor (or the latest page without one), delivering each event. */
  private Future<Void> catchUp(UUID room, RoomState state) {
    Future<Messages.Page> page = state.lastEvent == null
        ? messages().syncAfter(room, null, FIRST_SIGHT_PAGE)
        : messages().syncAfter(room, state.lastEvent, SYNC_PAGE);
    return page.compose(p -> {
      Future<Void> chain = Future.succeededFuture();
      for (RoomEvent event : p.events()) {
        chain = chain.compose(v -> {
          if (event.seq() <= state.lastSeq) {
            return Future.succeededFuture();
          }
          if (isMembership(event.kind())) {
            directories.remove(room);
          }
          return decode(event).map(ce -> {
            deliver(state, ce);
            return null;
          });
        });
      }
      boolean more = p.more() && state.lastEvent != null && !p.events().isEmpty();
      return chain.compose(v -> more ? catchUp(room, state) : Future.succeededFuture());
    });
  }

  private void deliver(RoomState state, ChatEvent event) {
    state.lastSeq = event.seq();
    state.lastEvent = event.id();
    for (Consumer<ChatEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        log.warn("an event listener failed: {}", e.toString());
      }
    }
    queueCursorSave();
  }

  private Future<List<ChatEvent>> decodeAll(List<RoomEvent> events) {
    List<Future<ChatEvent>> decoded = new ArrayList<>();
    for (RoomEvent event : events) {
      decoded.add(decode(event));
    }
    return Future.all(decoded).map(all -> {
      List<ChatEvent> out = new ArrayList<>();
      for (int i = 0; i < decoded.size(); i++) {
        out.add(all.resultAt(i));
      }
      return out;
    });
  }

  /** Opens the sealed content an event carries, checking the sender's key against pins and directory. */
  private Future<ChatEvent> decode(RoomEvent event) {
    JsonObject data = event.data();
    SealContext context;
    String content;
    switch (event.kind()) {
      case MESSAGE_SENT -> {
        context = SealContext.message(event.room(), event.sender());
        content = data.getString("content");
      }
      case MESSAGE_EDITED -> {
        context = SealContext.edit(event.room(), uuidOrNull(data.getString("msg")), event.sender());
        content = data.getString("content");
      }
      case MESSAGE_DELETED -> {
        context = SealContext.deleteReason(event.room(), uuidOrNull(data.getString("msg")), event.sender());
        content = data.getString("reason");
        if (content == null) {
          return Future.succeededFuture(new ChatEvent(event, null));
        }
      }
      default -> {
        return Future.succeededFuture(new ChatEvent(event, null));
      }
    }
    if (data.getBoolean("deleted", false) || content == null) {
      return Future.succeededFuture(new ChatEvent(event, Decrypted.deleted()));
    }
    if (context.target() == null && event.kind() != RoomEventKind.MESSAGE_SENT) {
      return Future.succeededFuture(new ChatEvent(event, Decrypted.undecryptable("the event names no message")));
    }
    return senderKey(event).map(key -> new ChatEvent(event, crypto.open(context, event.senderDevice(), content, key)));
  }

  /** The key this client trusts for the event's sending device: its pin, else the room's directory. */
  private Future<byte[]> senderKey(RoomEvent event) {
    UUID device = event.senderDevice();
    if (device == null) {
      return Future.succeededFuture(null);
    }
    if (device.equals(device())) {
      return Future.succeededFuture(chatKey().publicKey());
    }
    Optional<KeyPins.Pin> pin = pins.get(device);
    if (pin.isPresent()) {
      return Future.succeededFuture(pin.get().user().equals(event.sender()) ? pin.get().key() : null);
    }
    Directory cached = directories.get(event.room());
    Future<Directory> dir = cached != null && cached.devices().containsKey(device)
        ? Future.succeededFuture(cached)
        : fetchDirectory(event.room()).recover(e -> Future.succeededFuture(new Directory(Map.of(), Map.of(), List.of())));
    return dir.map(d -> {
      MemberKeys.Device entry = d.devices().get(device);
      return entry != null && event.sender().equals(d.owners().get(device)) ? entry.key() : null;
    });
  }

  private static UUID uuidOrNull(String text) {
    try {
      return text == null ? null : UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- state writes

  private synchronized void queueCursorSave() {
    if (cursorSaveQueued) {
      return;
    }
    cursorSaveQueued = true;
    saveTail = saveTail.transform(ignored -> blocking(() -> {
      synchronized (this) {
        cursorSaveQueued = false;
      }
      Map<UUID, ChatHome.Cursor> snapshot = new HashMap<>();
      roomStates.forEach((room, state) -> {
        synchronized (state) {
          if (state.lastEvent != null) {
            snapshot.put(room, new ChatHome.Cursor(state.lastSeq, state.lastEvent));
          }
        }
      });
      home.saveCursors(snapshot);
    }));
  }

  private synchronized Future<Void> queuePinsSave() {
    if (!pinsSaveQueued) {
      pinsSaveQueued = true;
      saveTail = saveTail.transform(ignored -> blocking(() -> {
        synchronized (this) {
          pinsSaveQueued = false;
        }
        pins.save();
      }));
    }
    return saveTail;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private Future<Void> blocking(IoAction action) {
    return vertx.executeBlocking(() -> {
      action.run();
      return null;
    }, false);
  }

  // ---------------------------------------------------------------- helpers

  private ParleyConnection requireConnection() {
    ParleyConnection conn = connection;
    if (conn == null) {
      throw new IllegalStateException("not connected: call connect() first");
    }
    return conn;
  }

  private Rooms rooms0() {
    return new Rooms(requireConnection());
  }

  private Messages messages() {
    return new Messages(requireConnection());
  }

  private String requireUser() {
    ChatHome.Session s = session;
    if (s == null) {
      throw new IllegalStateException("not logged in");
    }
    return s.user();
  }

  private void emitState(ConnectionState state) {
    stateListeners.forEach(l -> l.accept(state));
  }

  private void warn(String message) {
    log.debug("warning: {}", message);
    warningListeners.forEach(l -> l.accept(message));
  }

  /** Waits on a future from a non-event-loop thread (CLI and tests). */
  public static <T> T await(Future<T> future, long timeoutMs) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
