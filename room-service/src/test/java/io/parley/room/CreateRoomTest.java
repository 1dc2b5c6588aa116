package io.parley.room;

import static io.parley.room.RoomHarness.assertStatus;
import static io.parley.room.RoomHarness.assertStatusContaining;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.room.RoomHarness.Appended;
import io.parley.room.RoomHarness.Published;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.protocol.packet.Packets;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.parley.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CreateRoomTest {
  private static RoomHarness rooms;

  @BeforeAll
  static void start() {
    rooms = RoomHarness.start(CreateRoomTest.class.getSimpleName());
  }

  @AfterAll
  static void stop() {
    rooms.close();
  }

  @Test
  void aGroupHasTheCallerAsOwnerAndThePeopleAsMembers() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");
    String carol = rooms.user("carol");

    Envelope reply = rooms.create(alice, RoomType.GROUP, "Book club", bob, carol);

    assertThat(reply.statusCode()).contains(StatusCode.ROOM_OK);
    assertThat(reply.data().getBoolean("existing")).isFalse();
    UUID room = UUID.fromString(reply.data().getString("room"));
    assertThat(rooms.membersOf(room)).containsOnly(Map.entry(alice, Role.OWNER), Map.entry(bob, Role.MEMBER), Map.entry(carol, Role.MEMBER));
  }

  @Test
  void creationIsAnnouncedThenAppendedAsRoomCreated() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");

    UUID room = rooms.createRoom(alice, RoomType.CHANNEL, "News", bob);

    assertThat(rooms.announcedFor(room)).hasSize(2);
    assertThat(rooms.announcedFor(room).get(0)).isEqualTo(new Published(room));
    AppendRoomEvent created = ((Appended) rooms.announcedFor(room).get(1)).event();
    assertThat(created.kind()).isEqualTo(RoomEventKind.ROOM_CREATED);
    assertThat(created.actor()).isEqualTo(alice);
    assertThat(created.alsoNotify()).isEmpty();
    assertThat(created.data()).isEqualTo(new JsonObject().put("type", 2).put("name", "News").put("members", new JsonArray()
        .add(new JsonObject().put("user", alice).put("role", "owner"))
        .add(new JsonObject().put("user", bob).put("role", "member"))));
  }

  @Test
  void theCallerNamedAmongThePeopleIsStillJustTheOwner() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");

    UUID room = rooms.createRoom(alice, RoomType.GROUP, "Us", alice, bob);

    assertThat(rooms.membersOf(room)).containsOnly(Map.entry(alice, Role.OWNER), Map.entry(bob, Role.MEMBER));
  }

  @Test
  void aDirectRoomMakesBothPeopleOwnersAndAnExistingPairGetsItsRoomBack() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");

    UUID room = rooms.createRoom(alice, RoomType.DIRECT, null, bob);
    Envelope again = rooms.create(alice, RoomType.DIRECT, null, bob);
    Envelope fromTheOtherSide = rooms.create(bob, RoomType.DIRECT, "hi", alice);

    assertThat(rooms.membersOf(room)).containsOnly(Map.entry(alice, Role.OWNER), Map.entry(bob, Role.OWNER));
    for (Envelope reply : List.of(again, fromTheOtherSide)) {
      assertThat(reply.statusCode()).contains(StatusCode.ROOM_OK);
      assertThat(reply.data().getString("room")).isEqualTo(room.toString());
      assertThat(reply.data().getBoolean("existing")).isTrue();
    }
    assertThat(rooms.appended(room)).extracting(AppendRoomEvent::kind).containsExactly(RoomEventKind.ROOM_CREATED);
  }

  @Test
  void concurrentCreatesOfOnePairGiveOneRoom() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");

    List<Future<Envelope>> replies = new ArrayList<>();
    IntStream.range(0, 16).forEach(i -> {
      boolean fromAlice = i % 2 == 0;
      JsonObject data = new JsonObject().put("room-type", 0).put("people", new JsonArray().add(fromAlice ? bob : alice));
      replies.add(rooms.requestAsync(Addresses.ROOM_CREATE,
          new BusRequest(fromAlice ? alice : bob, UUID.randomUUID().toString(), "c" + i, "n", "127.0.0.1", null,
              Packets.parse(PacketType.CREATE_ROOM, data))));
    });
    List<String> ids = replies.stream().map(Futures::await).map(reply -> {
      assertThat(reply.statusCode()).as(reply.toString()).contains(StatusCode.ROOM_OK);
      return reply.data().getString("room");
    }).distinct().toList();

    assertThat(ids).hasSize(1);
    UUID room = UUID.fromString(ids.get(0));
    assertThat(rooms.appended(room)).hasSize(1);
    assertThat(rooms.membersOf(room)).hasSize(2);
  }

  @Test
  void aDeletedDirectRoomFreesThePairForANewOne() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");
    UUID first = rooms.createRoom(alice, RoomType.DIRECT, null, bob);
    RoomHarness.assertOk(rooms.alter(bob, new AlterRoom.Delete(first)));

    Envelope reply = rooms.create(alice, RoomType.DIRECT, null, bob);

    assertThat(reply.data().getBoolean("existing")).isFalse();
    assertThat(reply.data().getString("room")).isNotEqualTo(first.toString());
  }

  @Test
  void aDirectRoomWithOneselfIsRefused() {
    String alice = rooms.user("alice");

    assertStatus(rooms.create(alice, RoomType.DIRECT, null, alice), StatusCode.BAD_PACKET,
        "people[0]: a direct room needs another person");
  }

  @Test
  void aDirectRoomWithThreePeopleIsRefused() {
    String alice = rooms.user("alice");
    JsonObject data = new JsonObject().put("room-type", 0).put("people", new JsonArray().add(rooms.user("bob")).add(rooms.user("carol")));

    assertStatusContaining(rooms.send(Addresses.ROOM_CREATE, alice, data), StatusCode.BAD_PACKET,
        "people: a direct room names exactly one other person");
  }

  @Test
  void unknownPeopleAreNamedByTheirPlace() {
    String alice = rooms.user("alice");

    Envelope reply = rooms.create(alice, RoomType.GROUP, "Ghosts", rooms.user("bob"), "nobodyzed", "nobodyyves");

    assertStatus(reply, StatusCode.BAD_PACKET, "people[1]: no such user 'nobodyzed'; people[2]: no such user 'nobodyyves'");
  }

  @Test
  void anUnknownPersonGetsNoDirectRoom() {
    assertStatus(rooms.create(rooms.user("alice"), RoomType.DIRECT, null, "nobodyzed"), StatusCode.BAD_PACKET,
        "people[0]: no such user 'nobodyzed'");
  }

  @Test
  void aRoomHoldsAtMostRoomPeopleMaxMembersWithTheCaller() {
    String alice = rooms.user("alice");
    String[] people = IntStream.range(0, Limits.ROOM_PEOPLE_MAX).mapToObj(i -> "crowd" + i).toArray(String[]::new);

    assertStatus(rooms.create(alice, RoomType.GROUP, "Crowd", people), StatusCode.BAD_PACKET,
        "people: a room holds at most 256 members including you, this one would have 257");
    UUID full = rooms.createRoom(alice, RoomType.GROUP, "Crowd", java.util.Arrays.copyOf(people, Limits.ROOM_PEOPLE_MAX - 1));
    assertThat(rooms.membersOf(full)).hasSize(Limits.ROOM_PEOPLE_MAX);
  }

  @Test
  void missingOrWrongTypedFieldsAreRefusedBeforeTheService() {
    String alice = rooms.user("alice");

    assertStatus(rooms.send(Addresses.ROOM_CREATE, alice, new JsonObject().put("room-type", 1).put("people", new JsonArray().add("bob"))),
        StatusCode.BAD_PACKET, "room-name: required");
    assertStatusContaining(rooms.send(Addresses.ROOM_CREATE, alice, new JsonObject().put("room-type", "1").put("room-name", "x")
        .put("people", new JsonArray().add("bob"))), StatusCode.BAD_PACKET, "room-type: must be a whole number");
    assertStatusContaining(rooms.send(Addresses.ROOM_CREATE, alice, new JsonObject().put("room-type", 3).put("room-name", "x")
        .put("people", new JsonArray().add("bob"))), StatusCode.BAD_PACKET, "room-type: must be a whole number from 0 to 2");
    assertStatus(rooms.send(Addresses.ROOM_CREATE, alice, new JsonObject().put("room-type", 1).put("room-name", "x")
        .put("people", "bob")), StatusCode.BAD_PACKET, "people: must be an array");
    assertStatusContaining(rooms.send(Addresses.ROOM_CREATE, alice, new JsonObject().put("room-type", 1)
        .put("room-name", "x".repeat(Limits.ROOM_NAME_MAX_CHARS + 1)).put("people", new JsonArray().add("bob"))),
        StatusCode.BAD_PACKET, "room-name: must be 1–128 characters");
    assertStatus(rooms.send(Addresses.ROOM_CREATE, null, new JsonObject().put("room-type", 1).put("room-name", "x")
        .put("people", new JsonArray().add("bob"))), StatusCode.NOT_AUTHENTICATED,
        StatusCode.NOT_AUTHENTICATED.meaning());
  }
}
