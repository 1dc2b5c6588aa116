package io.parley.standalone;

import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ParleyStatusException;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rooms through the Java client on a running standalone server: every cell of the permission matrix
 * (docs/protocol.md §8.2), every bad input of the rooms issue, and membership events arriving live.
 */
class RoomsTest {
  static Standalone parley;
  static TestClients clients;
  static Member owner;
  static Member admin;
  static Member member;
  static Member other;
  static Member extra;

  @BeforeAll
  static void start() throws Exception {
    parley =
        Standalone.start(
            TestInfra.config(RoomsTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 8)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000)
                // The matrix walk sends many requests on a few connections.
                .with(ConfigKey.PACKET_BURST, 2000));
    clients = new TestClients(parley);
    owner = Member.signUp(clients, "owner");
    admin = Member.signUp(clients, "admin");
    member = Member.signUp(clients, "member");
    other = Member.signUp(clients, "other");
    extra = Member.signUp(clients, "extra");
  }

  @AfterAll
  static void stop() throws Exception {
    for (Member m : List.of(owner, admin, member, other, extra)) {
      m.close();
    }
    parley.close();
  }

  static StatusCode statusOf(Throwable failure) {
    assertThat(failure).isInstanceOf(ParleyStatusException.class);
    return ((ParleyStatusException) failure).code().orElseThrow();
  }

  /** A fresh group or channel: owner, admin (promoted), member, other. */
  static UUID managedRoom(RoomType type) throws Exception {
    UUID room = await(owner.rooms.createRoom(type, "matrix", List.of(admin.user, member.user, other.user)));
    await(owner.rooms.promote(room, admin.user));
    return room;
  }

  // --- The permission matrix, cell by cell ---

  static final Map<String, Map<String, Boolean>> MANAGED = Map.of(
      "owner", Map.of("add", true, "remove", true, "rename", true, "leave", false, "promote", true, "demote", true, "delete", true),
      "admin", Map.of("add", true, "remove", true, "rename", true, "leave", true, "promote", false, "demote", false, "delete", false),
      "member", Map.of("add", false, "remove", false, "rename", false, "leave", true, "promote", false, "demote", false, "delete", false));

  record Cell(RoomType type, String role, String action, boolean allowed) {
    @Override
    public String toString() {
      return "the " + role + " of a " + type.name().toLowerCase() + " tries " + action + " → " + (allowed ? "ROOM_OK" : "FORBIDDEN");
    }
  }

  static Stream<Cell> managedCells() {
    List<Cell> cells = new ArrayList<>();
    for (RoomType type : List.of(RoomType.GROUP, RoomType.CHANNEL)) {
      MANAGED.forEach((role, actions) -> actions.forEach((action, allowed) -> cells.add(new Cell(type, role, action, allowed))));
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("managedCells")
  void every_cell_of_the_matrix_for_groups_and_channels(Cell cell) throws Exception {
    UUID room = managedRoom(cell.type());
    Member actor = switch (cell.role()) {
      case "owner" -> owner;
      case "admin" -> admin;
      default -> member;
    };
    Future<Void> outcome = switch (cell.action()) {
      case "add" -> actor.rooms.addMembers(room, List.of(extra.user));
      case "remove" -> actor.rooms.removeMember(room, other.user);
      case "rename" -> actor.rooms.rename(room, "renamed");
      case "leave" -> actor.rooms.leave(room);
      case "promote" -> actor.rooms.promote(room, other.user);
      case "demote" -> actor.rooms.demote(room, actor == admin ? owner.user : admin.user);
      default -> actor.rooms.deleteRoom(room);
    };
    Throwable failure = awaitFailure(outcome);
    if (cell.allowed()) {
      assertThat(failure).as(cell.toString()).isNull();
    } else {
      assertThat(statusOf(failure)).as(cell.toString()).isEqualTo(StatusCode.FORBIDDEN);
    }
  }

  @Test
  void in_a_direct_room_only_delete_is_allowed() throws Exception {
    Member peer = Member.signUp(clients, "directpeer");
    try (peer) {
      UUID room = await(owner.rooms.createRoom(RoomType.DIRECT, null, List.of(peer.user)));
      assertThat(statusOf(awaitFailure(owner.rooms.addMembers(room, List.of(extra.user))))).isEqualTo(StatusCode.FORBIDDEN);
      assertThat(statusOf(awaitFailure(owner.rooms.removeMember(room, peer.user)))).isEqualTo(StatusCode.FORBIDDEN);
      assertThat(statusOf(awaitFailure(owner.rooms.rename(room, "us")))).isEqualTo(StatusCode.FORBIDDEN);
      assertThat(statusOf(awaitFailure(owner.rooms.leave(room)))).isEqualTo(StatusCode.FORBIDDEN);
      assertThat(statusOf(awaitFailure(owner.rooms.promote(room, peer.user)))).isEqualTo(StatusCode.FORBIDDEN);
      assertThat(statusOf(awaitFailure(owner.rooms.demote(room, peer.user)))).isEqualTo(StatusCode.FORBIDDEN);
      await(peer.rooms.deleteRoom(room));
    }
  }

  // --- Creating rooms ---

  @Test
  void creating_an_existing_direct_pair_returns_the_same_room_from_either_side() throws Exception {
    Member peer = Member.signUp(clients, "pair");
    try (peer) {
      UUID first = await(owner.rooms.createRoom(RoomType.DIRECT, null, List.of(peer.user)));
      UUID again = await(peer.rooms.createRoom(RoomType.DIRECT, null, List.of(owner.user)));

      assertThat(again).isEqualTo(first);
    }
  }

  @Test
  void a_direct_room_with_three_people_or_with_oneself_is_refused() throws Exception {
    Envelope three = await(owner.connection.request(PacketType.CREATE_ROOM,
        new JsonObject().put("room-type", 0).put("people", new JsonArray().add(member.user).add(other.user))));
    Envelope self = await(owner.connection.request(PacketType.CREATE_ROOM,
        new JsonObject().put("room-type", 0).put("people", new JsonArray().add(owner.user))));

    assertThat(three.statusCode()).contains(StatusCode.BAD_PACKET);
    assertThat(three.data().getString("desc")).startsWith("people");
    assertThat(self.statusCode()).contains(StatusCode.BAD_PACKET);
    assertThat(self.data().getString("desc")).startsWith("people[0]");
  }

  @Test
  void unknown_people_are_named() throws Exception {
    Throwable failure = awaitFailure(owner.rooms.createRoom(RoomType.GROUP, "ghosts", List.of(member.user, "nobody_here")));

    assertThat(statusOf(failure)).isEqualTo(StatusCode.BAD_PACKET);
    assertThat(((ParleyStatusException) failure).desc()).contains("nobody_here");
  }

  // --- Bad input of the rooms issue ---

  @Test
  void a_member_promoting_themself_is_forbidden() throws Exception {
    UUID room = managedRoom(RoomType.GROUP);
    assertThat(statusOf(awaitFailure(member.rooms.promote(room, member.user)))).isEqualTo(StatusCode.FORBIDDEN);
    assertThat(role(member, room)).isEqualTo("member");
  }

  @Test
  void a_member_adding_people_to_a_group_is_forbidden_and_membership_is_unchanged() throws Exception {
    UUID room = managedRoom(RoomType.GROUP);
    assertThat(statusOf(awaitFailure(member.rooms.addMembers(room, List.of(extra.user))))).isEqualTo(StatusCode.FORBIDDEN);
    assertThat(members(room)).doesNotContain(extra.user);
  }

  @Test
  void removing_the_owner_is_forbidden() throws Exception {
    UUID room = managedRoom(RoomType.GROUP);
    assertThat(statusOf(awaitFailure(admin.rooms.removeMember(room, owner.user)))).isEqualTo(StatusCode.FORBIDDEN);
    assertThat(members(room)).contains(owner.user);
  }

  @Test
  void the_last_owner_cannot_leave_until_ownership_is_handed_over() throws Exception {
    UUID room = managedRoom(RoomType.GROUP);
    assertThat(statusOf(awaitFailure(owner.rooms.leave(room)))).isEqualTo(StatusCode.FORBIDDEN);

    await(owner.rooms.promote(room, admin.user)); // admin → co-owner
    await(owner.rooms.leave(room));

    assertThat(members(room)).doesNotContain(owner.user);
  }

  @Test
  void actions_on_a_deleted_room_find_no_room() throws Exception {
    UUID room = managedRoom(RoomType.GROUP);
    await(owner.rooms.deleteRoom(room));

    assertThat(statusOf(awaitFailure(owner.rooms.rename(room, "again")))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
    assertThat(statusOf(awaitFailure(owner.rooms.roomInfo(room)))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
    assertThat(statusOf(awaitFailure(member.messages.send(room, "AAAA")))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
  }

  @Test
  void an_unknown_action_and_missing_or_wrong_typed_fields_are_bad_packets() throws Exception {
    UUID room = managedRoom(RoomType.GROUP);
    Envelope unknown = alter(owner, "teleport", new JsonObject().put("room", room.toString()));
    Envelope missing = alter(owner, "rename", new JsonObject().put("room", room.toString()));
    Envelope wrongType = alter(owner, "remove", new JsonObject().put("room", room.toString()).put("user", 42));

    assertThat(unknown.statusCode()).contains(StatusCode.BAD_PACKET);
    assertThat(unknown.data().getString("desc")).startsWith("action");
    assertThat(missing.data().getString("desc")).startsWith("actiondata.name");
    assertThat(wrongType.data().getString("desc")).startsWith("actiondata.user");
  }

  static Envelope alter(Member actor, String action, JsonObject actiondata) throws Exception {
    return await(actor.connection.request(PacketType.ALTER_ROOM, new JsonObject().put("action", action).put("actiondata", actiondata)));
  }

  @Test
  void a_non_member_gets_room_not_found_for_info_and_sees_no_list_entry() throws Exception {
    UUID room = managedRoom(RoomType.GROUP);

    assertThat(statusOf(awaitFailure(extra.rooms.roomInfo(room)))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
    assertThat(await(extra.rooms.roomList())).noneMatch(entry -> ((JsonObject) entry).getString("room").equals(room.toString()));
    assertThat(statusOf(awaitFailure(extra.rooms.rename(room, "mine")))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
  }

  // --- List, info, live membership events ---

  @Test
  void room_info_is_the_key_directory_of_every_member_device() throws Exception {
    UUID room = managedRoom(RoomType.GROUP);

    JsonObject info = await(member.rooms.roomInfo(room));

    JsonArray members = info.getJsonArray("members");
    assertThat(members).hasSize(4);
    for (Object entry : members) {
      JsonArray devices = ((JsonObject) entry).getJsonArray("devices");
      assertThat(devices).as("devices of %s", entry).isNotEmpty();
      assertThat(devices.getJsonObject(0).getString("chat_pubkey")).startsWith("-----BEGIN PUBLIC KEY-----");
    }
  }

  @Test
  void an_online_member_sees_membership_events_arrive_live() throws Exception {
    Member watcher = Member.signUp(clients, "watcher");
    Member newcomer = Member.signUp(clients, "newcomer");
    try (watcher; newcomer) {
      UUID room = await(owner.rooms.createRoom(RoomType.GROUP, "live", List.of(watcher.user)));
      assertThat(nextIn(watcher, room).kind()).isEqualTo(RoomEventKind.ROOM_CREATED);

      await(owner.rooms.addMembers(room, List.of(newcomer.user)));
      RoomEvent added = nextIn(watcher, room);
      await(owner.rooms.rename(room, "still live"));
      RoomEvent renamed = nextIn(watcher, room);
      await(owner.rooms.removeMember(room, newcomer.user));
      RoomEvent removed = nextIn(watcher, room);

      assertThat(added.kind()).isEqualTo(RoomEventKind.MEMBER_ADDED);
      assertThat(added.data().getString("user")).isEqualTo(newcomer.user);
      assertThat(renamed.kind()).isEqualTo(RoomEventKind.ROOM_RENAMED);
      assertThat(removed.kind()).isEqualTo(RoomEventKind.MEMBER_REMOVED);
      assertThat(List.of(added.seq(), renamed.seq(), removed.seq())).isSorted();
      // The removed member learns it too, though no longer a member.
      RoomEvent seenByRemoved;
      do {
        seenByRemoved = nextIn(newcomer, room);
      } while (seenByRemoved.kind() != RoomEventKind.MEMBER_REMOVED);
      assertThat(seenByRemoved.id()).isEqualTo(removed.id());
    }
  }

  @Test
  void the_room_list_shows_type_name_member_count_and_last_sequence() throws Exception {
    UUID room = managedRoom(RoomType.CHANNEL);
    await(owner.messages.send(room, "AAAA"));

    JsonObject entry = listEntry(member, room);

    assertThat(entry.getInteger("type")).isEqualTo(2);
    assertThat(entry.getString("name")).isEqualTo("matrix");
    assertThat(entry.getInteger("members")).isEqualTo(4);
    assertThat(entry.getString("role")).isEqualTo("member");
    assertThat(entry.getLong("last_seq")).isGreaterThanOrEqualTo(2); // room.created, ... , the message
    assertThat(entry.getLong("unread")).isEqualTo(1);
  }

  static RoomEvent nextIn(Member who, UUID room) throws InterruptedException {
    RoomEvent event;
    do {
      event = who.nextEvent();
    } while (!event.room().equals(room));
    return event;
  }

  static JsonObject listEntry(Member who, UUID room) throws Exception {
    for (Object entry : await(who.rooms.roomList())) {
      if (((JsonObject) entry).getString("room").equals(room.toString())) {
        return (JsonObject) entry;
      }
    }
    throw new AssertionError("room not listed for " + who.user);
  }

  static String role(Member who, UUID room) throws Exception {
    return listEntry(who, room).getString("role");
  }

  static List<String> members(UUID room) throws Exception {
    List<String> users = new ArrayList<>();
    for (Object entry : await(owner.rooms.roomInfo(room).recover(f -> admin.rooms.roomInfo(room))).getJsonArray("members")) {
      users.add(((JsonObject) entry).getString("user"));
    }
    return users;
  }
}
