package io.parley.shared.bus;

/**
 * Every event-bus address in Parley, declared once. Services register their handlers here and the
 * gateway routes packets here; a string literal naming an address anywhere else is a bug.
 *
 * <p>Naming: {@code parley.<service>.<request>} for request/reply addresses, {@code parley.events.*}
 * for published facts, {@code parley.gateway.<node>.*} for addresses owned by one gateway process.
 */
public final class Addresses {
  private Addresses() {}

  public static final String AUTH_SIGNUP = "parley.auth.signup";
  public static final String AUTH_CAPTCHA_ANSWER = "parley.auth.captcha-answer";
  public static final String AUTH_LOGIN = "parley.auth.login";
  public static final String AUTH_CHAT_KEY = "parley.auth.chat-key";
  public static final String AUTH_LOGOUT = "parley.auth.logout";
  public static final String AUTH_DEVICES = "parley.auth.devices";
  public static final String AUTH_REVOKE_DEVICE = "parley.auth.revoke-device";
  public static final String AUTH_DELETE_ACCOUNT = "parley.auth.delete-account";
  public static final String AUTH_LINK_REQUEST = "parley.auth.link-request";
  public static final String AUTH_LINK_PENDING = "parley.auth.link-pending";
  public static final String AUTH_LINK_BLOB = "parley.auth.link-blob";
  public static final String AUTH_LINK_FETCH = "parley.auth.link-fetch";

  public static final String ROOM_CREATE = "parley.room.create";
  public static final String ROOM_ALTER = "parley.room.alter";
  public static final String ROOM_LIST = "parley.room.list";
  public static final String ROOM_INFO = "parley.room.info";

  public static final String MESSAGE_CHAT_ACTION = "parley.message.chat-action";
  public static final String MESSAGE_SYNC = "parley.message.sync";
  public static final String MESSAGE_READ_RECEIPT = "parley.message.read-receipt";

  // Internal requests between services (JSON in, JSON out; no client behind them).

  /** room service: {room} → {@link io.parley.shared.room.RoomMembership} JSON, or {"found": false}. */
  public static final String ROOM_MEMBERS = "parley.room.members";

  /** message service: {@link io.parley.shared.events.AppendRoomEvent} → the appended RoomEvent JSON. */
  public static final String MESSAGE_APPEND_ROOM_EVENT = "parley.message.append-room-event";

  /**
   * message service: {"user", "rooms": [uuid...]} → {"stats": {room: {"last_seq", "unread"}}}, for
   * ROOM_LIST.
   */
  public static final String MESSAGE_ROOM_STATS = "parley.message.room-stats";

  /**
   * room service: {"user"} → {"rooms": n}, for DELETE_ACCOUNT: the user leaves every room (a
   * member.left event with {@code "account_deleted": true} in each) and their direct rooms' pair keys
   * are freed, so a later account with the same name starts new direct rooms. Safe to repeat.
   */
  public static final String ROOM_FORGET_MEMBER = "parley.room.forget-member";

  /**
   * message service: {"user"} → {"events": n}, for DELETE_ACCOUNT: every message, edit and delete
   * reason the user sent becomes a tombstone (content erased, {@code "account_deleted": true}), and
   * the user's read pointers and request records go. Safe to repeat.
   */
  public static final String MESSAGE_FORGET_SENDER = "parley.message.forget-sender";

  /** auth service: {"users": [...]} → {"unknown": [users without an account]}, for CREATE_ROOM and add. */
  public static final String AUTH_USERS_EXIST = "parley.auth.users-exist";

  /** auth service: {"users": [...]} → {"keys": {user: [{"device", "chat_pubkey"}]}}, for ROOM_INFO. */
  public static final String AUTH_DEVICE_KEYS = "parley.auth.device-keys";

  /**
   * Published by the room service after every committed membership or room change: {"room": uuid}.
   * Every message-service instance drops its cached membership of that room.
   */
  public static final String EVENTS_MEMBERSHIP_CHANGED = "parley.events.membership-changed";

  /**
   * auth service: {"token": id} → {"revoked": bool}, from PostgreSQL, for a gateway that cannot trust
   * the Redis revocation cache (it is unreachable, or not known to be complete).
   */
  public static final String AUTH_TOKEN_REVOKED = "parley.auth.token-revoked";

  /**
   * Published by the auth service after a revocation is durable: {@link SessionsRevoked}. Every
   * gateway ends the authentication of the live sessions it names.
   */
  public static final String EVENTS_SESSIONS_REVOKED = "parley.events.sessions-revoked";

  /**
   * Published by the message service when it cannot read presence (Redis down or slow):
   * {@link BroadcastDelivery}. Every gateway process pushes the packet to its own authenticated
   * sessions of the named users, so a live push is never dropped in silence (DESIGN §5).
   */
  public static final String GATEWAYS_BROADCAST_DELIVER = "parley.gateways.deliver";

  // Administration (parley-admin): asked by the ops endpoint of any process once a request's
  // signature is verified (io.parley.shared.admin.AdminEndpoint). JSON in, JSON out; a user or device
  // that does not exist is {"found": false}.

  /** auth service: {"query"} → {"users": [{"user", "email", "fullname", "created", "locked"}]}, at most 50. */
  public static final String AUTH_ADMIN_FIND_USER = "parley.auth.admin.find-user";

  /**
   * auth service: {"user"} → {"found", "locked": true}: the account can no longer log in, every live
   * token is revoked and its sessions end ({@link #EVENTS_SESSIONS_REVOKED}). Safe to repeat.
   */
  public static final String AUTH_ADMIN_LOCK = "parley.auth.admin.lock";

  /** auth service: {"user"} → {"found", "locked": false}: LOGIN works again. Safe to repeat. */
  public static final String AUTH_ADMIN_UNLOCK = "parley.auth.admin.unlock";

  /** auth service: {"user"} → {"found", "profile": {...}, "devices": [...]}: what the account holds. */
  public static final String AUTH_ADMIN_ACCOUNT = "parley.auth.admin.account";

  /**
   * auth service: {"user", "device"} → {"found", "revoked_tokens"}: REVOKE_DEVICE on the person's
   * behalf. {"user"} alone ends every session of the account (LOGOUT scope all on their behalf).
   */
  public static final String AUTH_ADMIN_END_SESSIONS = "parley.auth.admin.end-sessions";

  /** room service: {"limit"} → {"rooms": [{"room", "type", "name", "members"}]}, largest first. */
  public static final String ROOM_ADMIN_SIZES = "parley.room.admin.sizes";

  /** room service: {"user"} → {"rooms": [{"room", "type", "name", "members", "role"}]}. */
  public static final String ROOM_ADMIN_ROOMS_OF = "parley.room.admin.rooms-of";

  /**
   * Published by the ops endpoint serving "connections": {"reply_to": address}. Every process answers
   * to that address with {"node", "gateway": {counts} or absent}, so the asker knows when all cluster
   * members have answered.
   */
  public static final String ADMIN_CENSUS = "parley.admin.census";

  /**
   * Local to one process: its gateway's connection counts, {} → {"node", "connections",
   * "handshakes", "authenticated", "accounts"}. No handler: the process runs no gateway.
   */
  public static final String GATEWAY_ADMIN_CONNECTIONS = "parley.gateway.admin.connections";

  /** Deliveries of room events to the connections held by one gateway process. */
  public static String gatewayDeliver(String node) {
    return "parley.gateway." + node + ".deliver";
  }

  /**
   * The self-probe of one clustered process ({@code node} is its cluster node id): the process sends
   * to it through the clustered bus and only it listens, so an answer proves that its registration
   * is in the cluster's registry and its bus delivers (readiness: "registered and receiving").
   */
  public static String selfProbe(String node) {
    return "parley.probe." + node;
  }
}
