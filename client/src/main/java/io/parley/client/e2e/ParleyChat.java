package io.parley.client.e2e;

import io.parley.client.Accounts;
import io.parley.client.CaptchaSolver;
import io.parley.client.ClientOptions;
import io.parley.client.IdentityMismatchException;
import io.parley.client.Links;
import io.parley.client.Messages;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.client.Rooms;
import io.parley.client.Transport;
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
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
 * next event is delivered.
 *
 * <p>This class is a facade over parts with one job each: {@link ConnectionSupervisor} (connect,
 * resume, reconnect with backoff; {@link SessionLine} binds it to the SDK's connection), {@link RoomTimeline} (order, gaps, cursors, exactly-once delivery),
 * {@link KeyDirectory} (device keys, pins, trust warnings), {@link RoomSealer} (sealing and opening)
 * and {@link StateStore} (the files).
 *
 * <p>Threading: the whole chat runs on one Vert.x context, the caller's when {@link #open} is called
 * on one, else a new event-loop context. Every method may be called from any thread: it moves onto
 * that context and returns a future that completes there; the connection is opened from it, so its
 * replies and pushes arrive there too. The parts therefore hold plain fields and chain futures instead
 * of locking, and no step ever waits for another while holding anything. Listeners run on that
 * context and must not block; a blocking caller (a CLI, a test) waits with {@link #await}. File writes
 * run on worker threads and report back to the context.
 *
 * <p>Create with {@link #open} (blocking: reads the state directory), then {@link #connect}.
 */
public final class ParleyChat {
  private static final Logger log = LoggerFactory.getLogger(ParleyChat.class);

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

  private final ChatContext context;
  private final Options options;
  private final StateStore store;
  private final KeyDirectory directory;
  private final RoomSealer sealer;
  private final DeviceLinker linker;
  private final RoomTimeline timeline;
  private final ConnectionSupervisor<ParleyConnection> supervisor;
  private final List<Consumer<ChatEvent>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<JsonObject>> receiptListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> warningListeners = new CopyOnWriteArrayList<>();

  private ParleyChat(ChatContext context, Options options, StateStore store) {
    this.context = context;
    this.options = options;
    this.store = store;
    ChatHome home = store.home();
    this.directory = new KeyDirectory(home.device(), home.chatKey().publicKey(), store.pins(),
        room -> rooms0().roomInfo(room), store::savePins, this::warn);
    MessageCrypto crypto = new MessageCrypto(home.chatKey(), home.device());
    this.sealer = new RoomSealer(crypto, directory, store.historyKeys());
    this.linker = new DeviceLinker(crypto, sealer, store, this::requireUser, () -> new Links(requireConnection()),
        () -> roomList().map(list -> list.stream().map(RoomSummary::room).toList()),
        (room, count) -> messages().syncAfter(room, null, count).map(Messages.Page::events));
    this.timeline = new RoomTimeline(store.savedCursors(), (room, from, count) -> messages().syncAfter(room, from, count),
        sealer::open, this::deliver, store::cursorMoved);
    ClientOptions clientOptions = new ClientOptions(
        options.host(), options.port(), options.transport(), home.device(), options.pinnedFingerprint(),
        home.knownServersFile(), ClientOptions.DEFAULT_REQUEST_TIMEOUT_MS, ClientOptions.DEFAULT_MAX_FRAME_BYTES);
    this.supervisor = new ConnectionSupervisor<>(
        new SessionLine(context, clientOptions, options.reconnect(), store, this::onPush, this::syncAll),
        context::after, this::emitState, this::warn);
  }

  /**
   * Blocking (reads the state directory; call it at startup, not on an event loop). Fails with
   * {@link ChatKeyException} when the chat key file is corrupted or readable by others.
   */
  public static ParleyChat open(Vertx vertx, Options options) throws IOException {
    ChatContext context = new ChatContext(vertx);
    return new ParleyChat(context, options, StateStore.open(context, options.home(), options.server()));
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
    return store.home();
  }

  public UUID device() {
    return store.home().device();
  }

  public ChatKey chatKey() {
    return store.home().chatKey();
  }

  public KeyPins pins() {
    return store.pins();
  }

  /** The logged-in (folded) username, if there is a saved session. */
  public Optional<String> user() {
    return store.session().map(ChatHome.Session::user);
  }

  public boolean hasSession() {
    return store.session().isPresent();
  }

  /** The current connection (null before {@link #connect}); advanced use and tests. */
  public ParleyConnection connection() {
    return supervisor.current();
  }

  public Vertx vertx() {
    return context.vertx();
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
    return context.call(supervisor::connect);
  }

  /** Why the last automatic reconnect failed, if it did. */
  public Optional<Throwable> lastConnectFailure() {
    return supervisor.lastFailure();
  }

  /** Closes the connection without logging out; the session and cursors stay for next time. */
  public Future<Void> close() {
    return context.call(() -> supervisor.close().compose(v -> store.flush()));
  }

  /** Completes when every state write queued so far (cursors, pins, session) is on disk. */
  public Future<Void> flush() {
    return context.call(store::flush);
  }

  // ---------------------------------------------------------------- accounts

  /** SIGNUP with its captcha (proof of work solved here, with progress; images go to {@code solver}). */
  public Future<Void> signup(String user, String email, String fullname, LocalDate dob, String password, CaptchaSolver solver) {
    return context.call(() -> new Accounts(requireConnection()).signup(user, email, fullname, dob, password, solver));
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
    return context.call(() -> new Accounts(requireConnection())
        .login(id, password, save, chatKey().publicPem(), solver)
        .compose(token -> store.saveSession(ChatHome.Session.forToken(options.server(), token, id)))
        .onSuccess(v -> supervisor.authenticated())
        .compose(v -> syncAll()));
  }

  /** LOGOUT: revokes this device's tokens and forgets the session. */
  public Future<Void> logout() {
    return logout(Logout.Scope.DEVICE);
  }

  /** LOGOUT with a scope ({@code ALL}: every device of the account is logged out) and forgets the session. */
  public Future<Void> logout(Logout.Scope scope) {
    return context.call(() -> new Accounts(requireConnection()).logout(scope).compose(v -> store.saveSession(null)));
  }

  /** DEVICES: every device that has logged in to this account. */
  public Future<List<Accounts.Device>> devices() {
    return context.call(() -> new Accounts(requireConnection()).devices());
  }

  /** REVOKE_DEVICE: cuts off one of this account's devices (a lost phone). */
  public Future<Void> revokeDevice(UUID device) {
    return context.call(() -> new Accounts(requireConnection()).revokeDevice(device));
  }

  // ---------------------------------------------------------------- linking a new device (docs/e2e.md §10)

  /**
   * On a new device: asks the server for a link (LINK_REQUEST) and returns the code to show its
   * person, who types it on one of their other devices. Then call {@link #receiveLink} until it
   * reports keys. A new call replaces the code.
   */
  public Future<LinkCode> requestLink() {
    return context.call(linker::request);
  }

  /**
   * On a new device after {@link #requestLink}: fetches what the other device sent and keeps the keys
   * of past messages. Completes with the number of keys received, 0 while nothing arrived; fails with
   * {@link E2eException} when a blob does not prove knowledge of the code (the link is abandoned).
   */
  public Future<Integer> receiveLink() {
    return context.call(linker::receive);
  }

  /**
   * On an existing device: the person typed {@code code}, shown by their new device. Shares the keys
   * of the latest 200 sealed events of every room with it (LINK_BLOB, sealed to its chat key).
   * Completes with the number of keys shared; fails with {@link E2eException} when no device of the
   * account is waiting for that code with the key it was made for.
   */
  public Future<Integer> approveLink(LinkCode code) {
    return context.call(() -> linker.approve(code));
  }

  /** How many past messages' keys other devices shared with this one. */
  public int sharedHistoryKeys() {
    return store.historyKeys().size();
  }

  // ---------------------------------------------------------------- rooms

  public Future<List<RoomSummary>> rooms() {
    return context.call(this::roomList);
  }

  private Future<List<RoomSummary>> roomList() {
    return rooms0().roomList().map(list -> list.stream().map(JsonObject.class::cast).map(RoomSummary::fromJson).toList());
  }

  public Future<UUID> createGroup(String name, List<String> people) {
    return context.call(() -> rooms0().createRoom(RoomType.GROUP, name, people));
  }

  public Future<UUID> createChannel(String name, List<String> people) {
    return context.call(() -> rooms0().createRoom(RoomType.CHANNEL, name, people));
  }

  public Future<UUID> createDirect(String other) {
    return context.call(() -> rooms0().createRoom(RoomType.DIRECT, null, List.of(other)));
  }

  public Future<Void> addMembers(UUID room, List<String> people) {
    return context.call(() -> rooms0().addMembers(room, people));
  }

  public Future<Void> removeMember(UUID room, String user) {
    return context.call(() -> rooms0().removeMember(room, user));
  }

  public Future<Void> rename(UUID room, String name) {
    return context.call(() -> rooms0().rename(room, name));
  }

  public Future<Void> leave(UUID room) {
    return context.call(() -> rooms0().leave(room));
  }

  public Future<Void> promote(UUID room, String user) {
    return context.call(() -> rooms0().promote(room, user));
  }

  public Future<Void> demote(UUID room, String user) {
    return context.call(() -> rooms0().demote(room, user));
  }

  public Future<Void> deleteRoom(UUID room) {
    return context.call(() -> rooms0().deleteRoom(room));
  }

  /** The room's members with their devices' keys as the key directory lists them, judged against the pins. */
  public Future<List<MemberKeys>> members(UUID room) {
    return context.call(() -> directory.members(room));
  }

  /** The user accepts the key the directory now lists for {@code device} (after checking it out of band). */
  public Future<Void> trustKey(UUID room, UUID device) {
    return context.call(() -> directory.trust(room, device));
  }

  // ---------------------------------------------------------------- messages

  /** Seals {@code text} for every member device of the room (fresh key directory) and sends it. */
  public Future<Sent> send(UUID room, String text) {
    return send(room, text, "m-" + UUID.randomUUID());
  }

  /**
   * {@link #send(UUID, String)} under a request id of the caller's choosing, for a caller that keeps
   * the message until it is acknowledged (an outbox). The server's exactly-once key is (user, device,
   * request id): sending again with the same id after an unknown outcome stores nothing new and
   * answers with the first event's id and seq. The text is sealed afresh each time; when the first
   * attempt had arrived, its stored ciphertext is the one others read.
   */
  public Future<Sent> send(UUID room, String text, String requestId) {
    return context.call(() -> sealer.seal(room, SealContext.message(room, requireUser()), text)
        .compose(sealed -> messages().send(room, sealed.content(), requestId).map(ack -> {
          selfEvent(room, ack, RoomEventKind.MESSAGE_SENT,
              new JsonObject().put("format", MessageFormat.TEXT.wireName()).put("content", sealed.content()));
          return new Sent(ack.event(), ack.seq(), sealed.recipients(), sealed.skipped());
        })));
  }

  /** Replaces the text of one of this user's messages; sealed like a message, bound to {@code msg}. */
  public Future<Sent> edit(UUID room, UUID msg, String text) {
    return context.call(() -> sealer.seal(room, SealContext.edit(room, msg, requireUser()), text)
        .compose(sealed -> messages().edit(room, msg, sealed.content()).map(ack -> {
          selfEvent(room, ack, RoomEventKind.MESSAGE_EDITED, new JsonObject().put("msg", msg.toString()).put("content", sealed.content()));
          return new Sent(ack.event(), ack.seq(), sealed.recipients(), sealed.skipped());
        })));
  }

  /** Deletes a message; the reason, when given, is sealed like a message and bound to {@code msg}. */
  public Future<Sent> delete(UUID room, UUID msg, String reason) {
    return context.call(() -> {
      Future<RoomSealer.Sealed> sealedReason = reason == null || reason.isBlank()
          ? Future.succeededFuture(new RoomSealer.Sealed(null, 0, List.of()))
          : sealer.seal(room, SealContext.deleteReason(room, msg, requireUser()), reason);
      return sealedReason.compose(sealed -> messages().delete(room, msg, sealed.content()).map(ack -> {
        JsonObject data = new JsonObject().put("msg", msg.toString());
        if (sealed.content() != null) {
          data.put("reason", sealed.content());
        }
        selfEvent(room, ack, RoomEventKind.MESSAGE_DELETED, data);
        return new Sent(ack.event(), ack.seq(), sealed.recipients(), sealed.skipped());
      }));
    });
  }

  public Future<Sent> pin(UUID room, UUID msg) {
    return context.call(() -> messages().pin(room, msg).map(ack -> {
      selfEvent(room, ack, RoomEventKind.MESSAGE_PINNED, new JsonObject().put("msg", msg.toString()));
      return new Sent(ack.event(), ack.seq(), 0, List.of());
    }));
  }

  /** READ_RECEIPT: everything up to {@code event} is read. */
  public Future<Void> markRead(UUID room, UUID event) {
    return context.call(() -> messages().readReceipt(room, event));
  }

  /** The latest {@code count} events of a room, opened, oldest first. Does not move the cursor. */
  public Future<List<ChatEvent>> history(UUID room, int count) {
    return context.call(() -> messages().syncAfter(room, null, Math.min(count, 500)).compose(page -> sealer.openAll(page.events())));
  }

  /** Catches up every room of the user from its cursor (ROOM_LIST, then SYNC_ROOM_REQ per room). */
  public Future<Void> syncAll() {
    return context.call(() -> roomList().compose(list -> timeline.syncAll(list.stream().map(RoomSummary::room).toList())));
  }

  /** Catches up one room from its cursor. */
  public Future<Void> syncRoom(UUID room) {
    return context.call(() -> timeline.sync(room));
  }

  // ---------------------------------------------------------------- receiving

  private void onPush(ParleyConnection conn, Envelope packet) {
    if (conn != supervisor.current()) {
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
      timeline.accept(event);
    } else if (packet.is(PacketType.READ_RECEIPT)) {
      receiptListeners.forEach(l -> l.accept(packet.data()));
    } else if (packet.statusCode().filter(code -> code == StatusCode.LOGGED_OUT || code == StatusCode.TOKEN_EXPIRED).isPresent()) {
      // The server ended this device's authentication: the saved session is worthless now.
      String why = packet.statusCode().get() == StatusCode.LOGGED_OUT
          ? "this device was logged out (LOGOUT or REVOKE_DEVICE elsewhere); log in again"
          : "the session expired; log in again";
      store.saveSession(null).onComplete(saved -> warn(why));
    }
  }

  /** The sending device gets MSG_OK instead of a push: it feeds itself the event it caused. */
  private void selfEvent(UUID room, Messages.Ack ack, RoomEventKind kind, JsonObject data) {
    timeline.accept(new RoomEvent(ack.event(), room, ack.seq(), kind, requireUser(), device(), Instant.now(), data));
  }

  private void deliver(ChatEvent event) {
    for (Consumer<ChatEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        log.warn("an event listener failed: {}", e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private ParleyConnection requireConnection() {
    ParleyConnection conn = supervisor.current();
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
    return user().orElseThrow(() -> new IllegalStateException("not logged in"));
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
