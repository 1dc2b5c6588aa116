package io.parley.standalone;

import static io.parley.standalone.TestClients.PASSWORD;
import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.chatKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Accounts;
import io.parley.client.ParleyConnection;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.protocol.packet.ChatAction;
import io.parley.shared.protocol.packet.CreateRoom;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.protocol.packet.MessageFormat;
import io.parley.shared.protocol.packet.ReadReceipt;
import io.parley.shared.protocol.packet.RoomInfo;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.protocol.packet.SyncRoomReq;
import io.parley.testing.TestInfra;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorization rules of docs/protocol.md §8 (CREATE_ROOM, ALTER_ROOM, ROOM_INFO, CHAT_ACTION,
 * SYNC_ROOM_REQ, READ_RECEIPT) as one table, walked through the socket: every room and message
 * packet × caller × room type gets the exact reply the document gives, and a refusal leaves the
 * room's rows, members, event log and read pointers exactly as they were.
 *
 * <p>Fixtures are built once: one shared room per type holds the refusals (they must not change it);
 * an ALTER_ROOM that succeeds runs on a scratch room of the same shape, and a message delete that
 * succeeds on a freshly sent message, so no success disturbs a later row.
 */
class AuthorizationMatrixTest {
  static final AtomicInteger texts = new AtomicInteger();

  static Standalone parley;
  static TestClients clients;
  static Pool db;
  static Member owner;
  static Member admin;
  static Member member;
  static Member former;
  static Member stranger;
  /** A plain member of groups and channels: the target of remove and promote. */
  static Member other;
  /** Nobody's member: the person add names, and the other half of scratch direct rooms. */
  static Member extra;
  static ParleyConnection anonymous;
  /** Announces the owner's device id; its LOGIN as the stranger was refused with DEVICE_TAKEN. */
  static ParleyConnection impostor;
  static final Map<RoomType, SharedRoom> shared = new EnumMap<>(RoomType.class);

  /** A room the refusals run against, with one message by the owner and (not in channels) one by the member. */
  record SharedRoom(UUID id, UUID ownersMessage, UUID membersMessage) {}

  @BeforeAll
  static void start() throws Exception {
    parley =
        Standalone.start(
            TestInfra.config(AuthorizationMatrixTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 4)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000)
                // The walk sends a few hundred requests on a few connections as fast as they are answered.
                .with(ConfigKey.PACKET_BURST, 5000)
                .with(ConfigKey.ACCOUNT_PACKET_BURST, 5000));
    clients = new TestClients(parley);
    db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(parley.config().get(ConfigKey.PG_URL))).using(parley.vertx()).build();
    owner = Member.signUp(clients, "owner");
    admin = Member.signUp(clients, "admin");
    member = Member.signUp(clients, "member");
    former = Member.signUp(clients, "former");
    stranger = Member.signUp(clients, "stranger");
    other = Member.signUp(clients, "other");
    extra = Member.signUp(clients, "extra");
    anonymous = clients.connect();
    impostor = clients.connect(owner.device);
    Envelope refused = await(impostor.request(new Login(stranger.user, PASSWORD, false).toEnvelope()));
    assertThat(refused.statusCode()).as("LOGIN on another account's device id").contains(StatusCode.DEVICE_TAKEN);

    for (RoomType type : List.of(RoomType.GROUP, RoomType.CHANNEL)) {
      UUID room = managedRoom(type, List.of(admin.user, member.user, former.user, other.user));
      await(former.rooms.leave(room));
      awaitPushed(owner, room, RoomEventKind.MEMBER_LEFT);
      UUID ownersMessage = await(owner.messages.send(room, ciphertext())).event();
      UUID membersMessage = type == RoomType.GROUP ? await(member.messages.send(room, ciphertext())).event() : null;
      shared.put(type, new SharedRoom(room, ownersMessage, membersMessage));
    }
    UUID direct = await(owner.rooms.createRoom(RoomType.DIRECT, null, List.of(member.user)));
    shared.put(RoomType.DIRECT, new SharedRoom(direct,
        await(owner.messages.send(direct, ciphertext())).event(), await(member.messages.send(direct, ciphertext())).event()));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Member m : List.of(owner, admin, member, former, stranger, other, extra)) {
      m.close();
    }
    await(anonymous.close());
    await(impostor.close());
    await(db.close());
    parley.close();
  }

  /** A group or channel: the owner, an admin, and {@code people} minus the admin as members. */
  static UUID managedRoom(RoomType type, List<String> people) throws Exception {
    UUID room = await(owner.rooms.createRoom(type, "matrix " + texts.incrementAndGet(), people));
    await(owner.rooms.promote(room, admin.user));
    return room;
  }

  /**
   * Waits until the room's event {@code kind} was pushed to {@code who}: pushes follow the commit, so
   * the room's log is settled before the first "nothing changed" snapshot is taken.
   */
  static void awaitPushed(Member who, UUID room, RoomEventKind kind) throws InterruptedException {
    RoomEvent event;
    do {
      event = who.nextEvent();
    } while (!(event.room().equals(room) && event.kind() == kind));
  }

  /** Stand-in ciphertext, unique per call. */
  static String ciphertext() {
    return Base64.getEncoder().encodeToString(("matrix-ciphertext-" + texts.incrementAndGet()).getBytes(StandardCharsets.UTF_8));
  }

  // --- The table ---

  enum Caller {
    OWNER("the owner"),
    ADMIN("an admin"),
    MEMBER("a member"),
    FORMER("a former member"),
    STRANGER("a stranger"),
    UNAUTHENTICATED("an unauthenticated connection"),
    IMPOSTOR("a connection announcing the owner's device id");

    final String words;

    Caller(String words) {
      this.words = words;
    }
  }

  enum Packet {
    CREATE_ROOM("CREATE_ROOM naming a stranger to the room"),
    ADD("ALTER_ROOM add"),
    REMOVE("ALTER_ROOM remove (a member; in a direct room the other person)"),
    RENAME("ALTER_ROOM rename"),
    LEAVE("ALTER_ROOM leave"),
    PROMOTE("ALTER_ROOM promote (a member; in a direct room the other person)"),
    DEMOTE("ALTER_ROOM demote (the admin, or the owner when the admin asks; in a direct room the other person)"),
    DELETE_ROOM("ALTER_ROOM delete"),
    ROOM_INFO("ROOM_INFO"),
    SEND("CHAT_ACTION send"),
    EDIT_OWNERS("CHAT_ACTION edit of the owner's message"),
    EDIT_MEMBERS("CHAT_ACTION edit of the member's message"),
    DELETE_OWNERS("CHAT_ACTION delete of the owner's message"),
    DELETE_MEMBERS("CHAT_ACTION delete of the member's message"),
    PIN("CHAT_ACTION pin"),
    SAVE_PUBKEY("CHAT_ACTION save-pubkey"),
    SYNC("SYNC_ROOM_REQ"),
    READ_RECEIPT("READ_RECEIPT");

    final String words;

    Packet(String words) {
      this.words = words;
    }

    boolean isAlter() {
      return this != CREATE_ROOM && ordinal() <= DELETE_ROOM.ordinal();
    }

    /** True when a success must leave a trace in the room (a row, a member, an event). */
    boolean writes() {
      return this != ROOM_INFO && this != SYNC && this != READ_RECEIPT;
    }
  }

  static final String ROOM_OK = StatusCode.ROOM_OK.name();
  static final String MSG_OK = StatusCode.MSG_OK.name();
  static final String RECEIPT_OK = StatusCode.RECEIPT_OK.name();
  static final String FORBIDDEN = StatusCode.FORBIDDEN.name();
  static final String NOT_FOUND = StatusCode.ROOM_NOT_FOUND.name();
  static final String NOT_AUTHENTICATED = StatusCode.NOT_AUTHENTICATED.name();
  static final String INFO = PacketType.ROOM_INFO.wireName();
  static final String DATA = PacketType.SYNC_ROOM_DATA.wireName();
  /** Not applicable: direct rooms have no admins and nobody can leave one; channel members do not post. */
  static final String NA = null;

  record Line(Packet packet, RoomType type, String owner, String admin, String member, String former, String stranger) {}

  static Line line(Packet packet, RoomType type, String owner, String admin, String member, String former, String stranger) {
    return new Line(packet, type, owner, admin, member, former, stranger);
  }

  static final RoomType DIRECT = RoomType.DIRECT;
  static final RoomType GROUP = RoomType.GROUP;
  static final RoomType CHANNEL = RoomType.CHANNEL;

  /**
   * docs/protocol.md §8.2 (permission matrix, direct rooms, replies) and CHAT_ACTION's rules. In a
   * direct room "member" is the other person, an owner of equal rank. Unauthenticated callers and
   * the impostor get NOT_AUTHENTICATED for every line (the gateway's rule, §7 step 6).
   */
  static final List<Line> TABLE = List.of(
      //    packet          type     owner       admin       member      former      stranger
      line(Packet.CREATE_ROOM, DIRECT, ROOM_OK, NA, ROOM_OK, NA, ROOM_OK),
      line(Packet.CREATE_ROOM, GROUP, ROOM_OK, ROOM_OK, ROOM_OK, ROOM_OK, ROOM_OK),
      line(Packet.CREATE_ROOM, CHANNEL, ROOM_OK, ROOM_OK, ROOM_OK, ROOM_OK, ROOM_OK),

      line(Packet.ADD, DIRECT, FORBIDDEN, NA, FORBIDDEN, NA, NOT_FOUND),
      line(Packet.ADD, GROUP, ROOM_OK, ROOM_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.ADD, CHANNEL, ROOM_OK, ROOM_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.REMOVE, DIRECT, FORBIDDEN, NA, FORBIDDEN, NA, NOT_FOUND),
      line(Packet.REMOVE, GROUP, ROOM_OK, ROOM_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.REMOVE, CHANNEL, ROOM_OK, ROOM_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.RENAME, DIRECT, FORBIDDEN, NA, FORBIDDEN, NA, NOT_FOUND),
      line(Packet.RENAME, GROUP, ROOM_OK, ROOM_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.RENAME, CHANNEL, ROOM_OK, ROOM_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.LEAVE, DIRECT, FORBIDDEN, NA, FORBIDDEN, NA, NOT_FOUND),
      line(Packet.LEAVE, GROUP, FORBIDDEN, ROOM_OK, ROOM_OK, NOT_FOUND, NOT_FOUND),
      line(Packet.LEAVE, CHANNEL, FORBIDDEN, ROOM_OK, ROOM_OK, NOT_FOUND, NOT_FOUND),
      line(Packet.PROMOTE, DIRECT, FORBIDDEN, NA, FORBIDDEN, NA, NOT_FOUND),
      line(Packet.PROMOTE, GROUP, ROOM_OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.PROMOTE, CHANNEL, ROOM_OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.DEMOTE, DIRECT, FORBIDDEN, NA, FORBIDDEN, NA, NOT_FOUND),
      line(Packet.DEMOTE, GROUP, ROOM_OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.DEMOTE, CHANNEL, ROOM_OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.DELETE_ROOM, DIRECT, ROOM_OK, NA, ROOM_OK, NA, NOT_FOUND),
      line(Packet.DELETE_ROOM, GROUP, ROOM_OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.DELETE_ROOM, CHANNEL, ROOM_OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),

      line(Packet.ROOM_INFO, DIRECT, INFO, NA, INFO, NA, NOT_FOUND),
      line(Packet.ROOM_INFO, GROUP, INFO, INFO, INFO, NOT_FOUND, NOT_FOUND),
      line(Packet.ROOM_INFO, CHANNEL, INFO, INFO, INFO, NOT_FOUND, NOT_FOUND),

      line(Packet.SEND, DIRECT, MSG_OK, NA, MSG_OK, NA, NOT_FOUND),
      line(Packet.SEND, GROUP, MSG_OK, MSG_OK, MSG_OK, NOT_FOUND, NOT_FOUND),
      line(Packet.SEND, CHANNEL, MSG_OK, MSG_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.EDIT_OWNERS, DIRECT, MSG_OK, NA, FORBIDDEN, NA, NOT_FOUND),
      line(Packet.EDIT_OWNERS, GROUP, MSG_OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.EDIT_OWNERS, CHANNEL, MSG_OK, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.EDIT_MEMBERS, DIRECT, FORBIDDEN, NA, MSG_OK, NA, NOT_FOUND),
      line(Packet.EDIT_MEMBERS, GROUP, FORBIDDEN, FORBIDDEN, MSG_OK, NOT_FOUND, NOT_FOUND),
      // Both people of a direct room are owners, and owners may delete any message of their room.
      line(Packet.DELETE_OWNERS, DIRECT, MSG_OK, NA, MSG_OK, NA, NOT_FOUND),
      line(Packet.DELETE_OWNERS, GROUP, MSG_OK, MSG_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.DELETE_OWNERS, CHANNEL, MSG_OK, MSG_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.DELETE_MEMBERS, DIRECT, MSG_OK, NA, MSG_OK, NA, NOT_FOUND),
      line(Packet.DELETE_MEMBERS, GROUP, MSG_OK, MSG_OK, MSG_OK, NOT_FOUND, NOT_FOUND),
      line(Packet.PIN, DIRECT, MSG_OK, NA, MSG_OK, NA, NOT_FOUND),
      line(Packet.PIN, GROUP, MSG_OK, MSG_OK, MSG_OK, NOT_FOUND, NOT_FOUND),
      line(Packet.PIN, CHANNEL, MSG_OK, MSG_OK, FORBIDDEN, NOT_FOUND, NOT_FOUND),
      line(Packet.SAVE_PUBKEY, DIRECT, MSG_OK, NA, MSG_OK, NA, NOT_FOUND),
      line(Packet.SAVE_PUBKEY, GROUP, MSG_OK, MSG_OK, MSG_OK, NOT_FOUND, NOT_FOUND),
      line(Packet.SAVE_PUBKEY, CHANNEL, MSG_OK, MSG_OK, MSG_OK, NOT_FOUND, NOT_FOUND),

      line(Packet.SYNC, DIRECT, DATA, NA, DATA, NA, NOT_FOUND),
      line(Packet.SYNC, GROUP, DATA, DATA, DATA, NOT_FOUND, NOT_FOUND),
      line(Packet.SYNC, CHANNEL, DATA, DATA, DATA, NOT_FOUND, NOT_FOUND),
      line(Packet.READ_RECEIPT, DIRECT, RECEIPT_OK, NA, RECEIPT_OK, NA, NOT_FOUND),
      line(Packet.READ_RECEIPT, GROUP, RECEIPT_OK, RECEIPT_OK, RECEIPT_OK, NOT_FOUND, NOT_FOUND),
      line(Packet.READ_RECEIPT, CHANNEL, RECEIPT_OK, RECEIPT_OK, RECEIPT_OK, NOT_FOUND, NOT_FOUND));

  record Row(Packet packet, Caller caller, RoomType type, String expected) {
    boolean succeeds() {
      return !List.of(FORBIDDEN, NOT_FOUND, NOT_AUTHENTICATED).contains(expected);
    }

    @Override
    public String toString() {
      return caller.words + " of a " + type.name().toLowerCase() + " sends " + packet.words + " → " + expected;
    }
  }

  static Stream<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Line line : TABLE) {
      String[] expected = {line.owner(), line.admin(), line.member(), line.former(), line.stranger(), NOT_AUTHENTICATED, NOT_AUTHENTICATED};
      for (Caller caller : Caller.values()) {
        if (expected[caller.ordinal()] != null) {
          rows.add(new Row(line.packet(), caller, line.type(), expected[caller.ordinal()]));
        }
      }
    }
    return rows.stream();
  }

  // --- The walk ---

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void every_room_and_message_packet_for_every_caller_and_room_type(Row row) throws Exception {
    UUID room = row.succeeds() && row.packet().isAlter() ? scratchRoom(row) : shared.get(row.type()).id();
    Envelope request = request(row, room);
    String before = snapshot(room);

    Envelope reply = await(connectionOf(row.caller()).request(request));

    assertThat(outcome(reply)).as("%s: %s", row, reply).isEqualTo(row.expected());
    String after = snapshot(room);
    if (!row.succeeds()) {
      assertThat(after).as("the room's rows, members, events and read pointers after a refusal").isEqualTo(before);
    } else if (row.packet().writes() && row.packet() != Packet.CREATE_ROOM) {
      assertThat(after).as("the room's rows after a success").isNotEqualTo(before);
    }
  }

  @Test
  void a_connection_announcing_another_users_device_id_cannot_log_in_or_resume_on_it() throws Exception {
    ParleyConnection hijack = clients.connect(member.device);
    try {
      assertThat(await(hijack.request(new Login(stranger.user, PASSWORD, false).toEnvelope())).statusCode())
          .contains(StatusCode.DEVICE_TAKEN);
      assertThat(await(hijack.request(new AuthToken(stranger.user, stranger.token).toEnvelope())).statusCode())
          .contains(StatusCode.TOKEN_REFUSED);
      assertThat(await(hijack.request(new RoomInfo(shared.get(RoomType.DIRECT).id()).toEnvelope())).statusCode())
          .contains(StatusCode.NOT_AUTHENTICATED);
    } finally {
      await(hijack.close());
    }
    // The rightful device still works.
    assertThat(await(member.connection.request(new RoomInfo(shared.get(RoomType.DIRECT).id()).toEnvelope())).is(PacketType.ROOM_INFO))
        .isTrue();
  }

  static ParleyConnection connectionOf(Caller caller) {
    return switch (caller) {
      case OWNER -> owner.connection;
      case ADMIN -> admin.connection;
      case MEMBER -> member.connection;
      case FORMER -> former.connection;
      case STRANGER -> stranger.connection;
      case UNAUTHENTICATED -> anonymous;
      case IMPOSTOR -> impostor;
    };
  }

  static Member memberOf(Caller caller) {
    return switch (caller) {
      case OWNER -> owner;
      case ADMIN -> admin;
      case MEMBER -> member;
      case FORMER -> former;
      default -> stranger;
    };
  }

  /** A fresh room shaped like the shared one, for a row whose success would change it. */
  static UUID scratchRoom(Row row) throws Exception {
    if (row.type() == RoomType.DIRECT) {
      // The caller and someone they share no other room with: the pair is new (or its last room deleted).
      return await(memberOf(row.caller()).rooms.createRoom(RoomType.DIRECT, null, List.of(extra.user)));
    }
    return managedRoom(row.type(), List.of(admin.user, member.user, other.user));
  }

  static Envelope request(Row row, UUID room) throws Exception {
    SharedRoom fixture = shared.get(row.type());
    String otherPerson = row.caller() == Caller.OWNER ? member.user : owner.user;
    String removeTarget = row.type() == RoomType.DIRECT ? otherPerson : other.user;
    String demoteTarget = row.type() == RoomType.DIRECT ? otherPerson : row.caller() == Caller.ADMIN ? owner.user : admin.user;
    return switch (row.packet()) {
      case CREATE_ROOM -> new CreateRoom(row.type(), row.type() == RoomType.DIRECT ? null : "created", List.of(extra.user)).toEnvelope();
      case ADD -> alter(new AlterRoom.Add(room, List.of(extra.user)));
      case REMOVE -> alter(new AlterRoom.Remove(room, removeTarget));
      case RENAME -> alter(new AlterRoom.Rename(room, "renamed " + texts.incrementAndGet()));
      case LEAVE -> alter(new AlterRoom.Leave(room));
      case PROMOTE -> alter(new AlterRoom.Promote(room, removeTarget));
      case DEMOTE -> alter(new AlterRoom.Demote(room, demoteTarget));
      case DELETE_ROOM -> alter(new AlterRoom.Delete(room));
      case ROOM_INFO -> new RoomInfo(room).toEnvelope();
      case SEND -> chat(room, new ChatAction.Send(MessageFormat.TEXT, ciphertext()));
      case EDIT_OWNERS -> chat(room, new ChatAction.Edit(fixture.ownersMessage(), ciphertext()));
      case EDIT_MEMBERS -> chat(room, new ChatAction.Edit(fixture.membersMessage(), ciphertext()));
      // A delete that succeeds erases its message: it gets one of its own, so later rows still find theirs.
      case DELETE_OWNERS -> chat(room, new ChatAction.Delete(row.succeeds() ? sent(owner, room) : fixture.ownersMessage(), null));
      case DELETE_MEMBERS -> chat(room, new ChatAction.Delete(row.succeeds() ? sent(member, room) : fixture.membersMessage(), null));
      case PIN -> chat(room, new ChatAction.Pin(fixture.ownersMessage()));
      case SAVE_PUBKEY -> chat(room, new ChatAction.SavePubkey(chatKey()));
      case SYNC -> new SyncRoomReq(room, 10, null, SyncRoomReq.Direction.AFTER).toEnvelope();
      case READ_RECEIPT -> new ReadReceipt(room, fixture.ownersMessage()).toEnvelope();
    };
  }

  static UUID sent(Member author, UUID room) throws Exception {
    return await(author.messages.send(room, ciphertext())).event();
  }

  static Envelope alter(AlterRoom.Action action) {
    return new AlterRoom(action).toEnvelope();
  }

  static Envelope chat(UUID room, ChatAction.Action action) {
    return new ChatAction(room, action).toEnvelope();
  }

  /** A reply's status name, or its packet type when it is not a STATUS. */
  static String outcome(Envelope reply) {
    return reply.statusCode().map(StatusCode::name).orElse(reply.type());
  }

  /**
   * Everything a room packet could change, as one text: the room's row, its members and roles, its
   * event log (contents included: a delete erases in place), its read pointers, the number of rooms
   * (CREATE_ROOM) and of stored request results (a refused request must not be remembered as done).
   */
  static String snapshot(UUID room) throws Exception {
    return await(db.preparedQuery("""
            SELECT json_build_object(
              'room', (SELECT row_to_json(r) FROM room.rooms r WHERE r.id = $1),
              'members', (SELECT json_agg(json_build_array(m.username, m.role) ORDER BY m.username)
                            FROM room.members m WHERE m.room_id = $1),
              'events', (SELECT json_agg(json_build_array(e.seq, e.id, e.kind, e.sender, e.target, e.body) ORDER BY e.seq)
                           FROM message.events e WHERE e.room_id = $1),
              'pointers', (SELECT json_agg(json_build_array(p.username, p.seq) ORDER BY p.username)
                             FROM message.read_pointers p WHERE p.room_id = $1),
              'rooms', (SELECT count(*) FROM room.rooms),
              'requests', (SELECT count(*) FROM message.requests))::text""")
        .execute(Tuple.of(room))).iterator().next().getString(0);
  }
}
