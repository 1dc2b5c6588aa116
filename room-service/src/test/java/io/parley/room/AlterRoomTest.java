package io.parley.room;

import static io.parley.room.RoomHarness.assertOk;
import static io.parley.room.RoomHarness.assertStatus;
import static io.parley.room.RoomHarness.assertStatusContaining;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.room.RoomHarness.Appended;
import io.parley.room.RoomHarness.Published;
import io.parley.shared.bus.Addresses;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AlterRoomTest {
  private static final String NOT_FOUND = "no such room, or you are not a member of it";
  private static RoomHarness rooms;

  @BeforeAll
  static void start() {
    rooms = RoomHarness.start(AlterRoomTest.class.getSimpleName());
  }

  @AfterAll
  static void stop() {
    rooms.close();
  }

  // --- What each action changes and appends ---

  @Test
  void addAppendsOneMemberAddedPerPersonAfterAnnouncing() {
    String owner = rooms.user("owner");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", rooms.user("m"));
    String dave = rooms.user("dave");
    String erin = rooms.user("erin");
    int before = rooms.announcedFor(room).size();

    Envelope reply = rooms.alter(owner, new AlterRoom.Add(room, List.of(dave, erin)));

    assertThat(reply.data()).isEqualTo(new JsonObject().put("sig", "ROOM_OK").put("room", room.toString()));
    assertThat(rooms.membersOf(room)).containsEntry(dave, Role.MEMBER).containsEntry(erin, Role.MEMBER);
    var announced = rooms.announcedFor(room).subList(before, rooms.announcedFor(room).size());
    assertThat(announced).hasSize(3);
    assertThat(announced.get(0)).isEqualTo(new Published(room));
    assertThat(announced.subList(1, 3)).extracting(a -> ((Appended) a).event()).containsExactly(
        new AppendRoomEvent(RoomHarness.ANY_ID, room, RoomEventKind.MEMBER_ADDED, owner, new JsonObject().put("user", dave).put("role", "member"), List.of()),
        new AppendRoomEvent(RoomHarness.ANY_ID, room, RoomEventKind.MEMBER_ADDED, owner, new JsonObject().put("user", erin).put("role", "member"), List.of()));
  }

  @Test
  void removeTellsTheRemovedMemberToo() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);

    assertOk(rooms.alter(owner, new AlterRoom.Remove(room, bob)));

    assertThat(rooms.membersOf(room)).containsOnlyKeys(owner);
    assertThat(last(room)).isEqualTo(
        new AppendRoomEvent(RoomHarness.ANY_ID, room, RoomEventKind.MEMBER_REMOVED, owner, new JsonObject().put("user", bob), List.of(bob)));
  }

  @Test
  void leaveTellsTheDepartedMemberToo() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.CHANNEL, "C", bob);

    assertOk(rooms.alter(bob, new AlterRoom.Leave(room)));

    assertThat(rooms.membersOf(room)).containsOnlyKeys(owner);
    assertThat(last(room)).isEqualTo(
        new AppendRoomEvent(RoomHarness.ANY_ID, room, RoomEventKind.MEMBER_LEFT, bob, new JsonObject().put("user", bob), List.of(bob)));
  }

  @Test
  void renamePromoteAndDemoteAppendTheirEvents() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);

    assertOk(rooms.alter(owner, new AlterRoom.Rename(room, "Book club")));
    assertThat(last(room)).isEqualTo(
        new AppendRoomEvent(RoomHarness.ANY_ID, room, RoomEventKind.ROOM_RENAMED, owner, new JsonObject().put("name", "Book club"), List.of()));
    assertOk(rooms.alter(owner, new AlterRoom.Promote(room, bob)));
    assertThat(last(room)).isEqualTo(new AppendRoomEvent(
        RoomHarness.ANY_ID, room, RoomEventKind.MEMBER_PROMOTED, owner, new JsonObject().put("user", bob).put("role", "admin"), List.of()));
    assertOk(rooms.alter(owner, new AlterRoom.Demote(room, bob)));
    assertThat(last(room)).isEqualTo(new AppendRoomEvent(
        RoomHarness.ANY_ID, room, RoomEventKind.MEMBER_DEMOTED, owner, new JsonObject().put("user", bob).put("role", "member"), List.of()));
    assertThat(rooms.membersOf(room)).containsEntry(bob, Role.MEMBER);
  }

  @Test
  void deleteTellsEveryFormerMemberAndTheRoomIsGone() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    String carol = rooms.user("carol");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob, carol);

    assertOk(rooms.alter(owner, new AlterRoom.Delete(room)));

    assertThat(last(room)).isEqualTo(
        new AppendRoomEvent(RoomHarness.ANY_ID, room, RoomEventKind.ROOM_DELETED, owner, new JsonObject(), List.of(owner, bob, carol)));
    assertThat(rooms.members(room)).isEqualTo(new JsonObject().put("found", false));
  }

  @Test
  void ownershipIsHandedOverByPromotingAnAdminThenLeaving() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);

    assertStatus(rooms.alter(owner, new AlterRoom.Leave(room)), StatusCode.FORBIDDEN,
        "the last owner cannot leave; promote an admin to owner first, or delete the group");
    assertOk(rooms.alter(owner, new AlterRoom.Promote(room, bob)));
    assertOk(rooms.alter(owner, new AlterRoom.Promote(room, bob)));
    assertOk(rooms.alter(owner, new AlterRoom.Leave(room)));

    assertThat(rooms.membersOf(room)).containsOnly(Map.entry(bob, Role.OWNER));
  }

  @Test
  void aFailedAppendStillAnswersRoomOkBecauseTheChangeIsCommitted() {
    String owner = rooms.user("owner");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", rooms.user("m"));
    rooms.failAppends = true;
    try {
      assertOk(rooms.alter(owner, new AlterRoom.Rename(room, "Renamed anyway")));
    } finally {
      rooms.failAppends = false;
    }
    assertThat(rooms.info(owner, room).data().getString("name")).isEqualTo("Renamed anyway");
  }

  // --- Bad input: refused, nothing changes, nothing is announced ---

  @Test
  void aMemberPromotingThemselfIsForbiddenAndKeepsTheirRole() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);

    assertUnchanged(room, () -> assertStatus(rooms.alter(bob, new AlterRoom.Promote(room, bob)), StatusCode.FORBIDDEN,
        "nobody may change their own role"));
  }

  @Test
  void aMemberAddingPeopleToAGroupIsForbiddenAndMembershipUnchanged() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);

    assertUnchanged(room, () -> assertStatus(rooms.alter(bob, new AlterRoom.Add(room, List.of(rooms.user("dave")))),
        StatusCode.FORBIDDEN, "only owners and admins may add people to a group"));
  }

  @Test
  void removingTheOwnerIsForbidden() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.roomWith(RoomType.GROUP, owner, List.of(bob), List.of());

    assertUnchanged(room, () -> assertStatus(rooms.alter(bob, new AlterRoom.Remove(room, owner)), StatusCode.FORBIDDEN,
        "an owner cannot be removed; another owner may demote them first"));
  }

  @Test
  void renamingADirectRoomIsForbidden() {
    String alice = rooms.user("alice");
    UUID room = rooms.createRoom(alice, RoomType.DIRECT, null, rooms.user("bob"));

    assertUnchanged(room, () -> assertStatus(rooms.alter(alice, new AlterRoom.Rename(room, "Us")), StatusCode.FORBIDDEN,
        "a direct room cannot be renamed; each person sees it under the other's name"));
  }

  @Test
  void aDirectRoomCannotGainOrLoseMembers() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(alice, RoomType.DIRECT, null, bob);

    assertUnchanged(room, () -> {
      assertStatusContaining(rooms.alter(alice, new AlterRoom.Add(room, List.of(rooms.user("carol")))), StatusCode.FORBIDDEN,
          "cannot gain members");
      assertStatusContaining(rooms.alter(alice, new AlterRoom.Remove(room, bob)), StatusCode.FORBIDDEN, "cannot lose members");
      assertStatusContaining(rooms.alter(bob, new AlterRoom.Leave(room)), StatusCode.FORBIDDEN, "cannot lose members");
    });
  }

  @Test
  void everyActionOnADeletedRoomIsRoomNotFound() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);
    assertOk(rooms.alter(owner, new AlterRoom.Delete(room)));
    int announced = rooms.announcedFor(room).size();

    for (AlterRoom.Action action : List.of(
        new AlterRoom.Add(room, List.of(rooms.user("dave"))), new AlterRoom.Remove(room, bob), new AlterRoom.Rename(room, "x"),
        new AlterRoom.Leave(room), new AlterRoom.Promote(room, bob), new AlterRoom.Demote(room, bob), new AlterRoom.Delete(room))) {
      assertStatus(rooms.alter(owner, action), StatusCode.ROOM_NOT_FOUND, NOT_FOUND);
    }
    assertStatus(rooms.info(owner, room), StatusCode.ROOM_NOT_FOUND, NOT_FOUND);
    assertThat(rooms.announcedFor(room)).hasSize(announced);
  }

  @Test
  void aNonMemberAlteringARoomGetsTheSameAnswerAsForNoRoom() {
    String owner = rooms.user("owner");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", rooms.user("bob"));
    String stranger = rooms.user("stranger");

    assertUnchanged(room, () -> {
      assertStatus(rooms.alter(stranger, new AlterRoom.Rename(room, "mine")), StatusCode.ROOM_NOT_FOUND, NOT_FOUND);
      assertStatus(rooms.alter(stranger, new AlterRoom.Add(room, List.of(stranger))), StatusCode.ROOM_NOT_FOUND, NOT_FOUND);
      assertStatus(rooms.alter(stranger, new AlterRoom.Leave(UUID.randomUUID())), StatusCode.ROOM_NOT_FOUND, NOT_FOUND);
    });
  }

  @Test
  void addingUnknownPeopleOrMembersOrTooManyIsRefused() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);

    assertUnchanged(room, () -> {
      assertStatus(rooms.alter(owner, new AlterRoom.Add(room, List.of(rooms.user("dave"), "nobodyzed"))), StatusCode.BAD_PACKET,
          "actiondata.people[1]: no such user 'nobodyzed'");
      assertStatus(rooms.alter(owner, new AlterRoom.Add(room, List.of(rooms.user("dave"), bob))), StatusCode.BAD_PACKET,
          "actiondata.people[1]: '" + bob + "' is already a member");
      List<String> crowd = IntStream.range(0, Limits.ROOM_PEOPLE_MAX - 1).mapToObj(i -> "crowd" + i).toList();
      assertStatus(rooms.alter(owner, new AlterRoom.Add(room, crowd)), StatusCode.BAD_PACKET,
          "actiondata.people: a room holds at most 256 members; it has 2, adding 255 would make 257");
    });
  }

  @Test
  void targetsMustBeMembers() {
    String owner = rooms.user("owner");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", rooms.user("bob"));
    String stranger = rooms.user("stranger");

    assertUnchanged(room, () -> assertStatus(rooms.alter(owner, new AlterRoom.Remove(room, stranger)), StatusCode.BAD_PACKET,
        "actiondata.user: '" + stranger + "' is not a member of this room"));
  }

  @Test
  void unknownActionsAndMissingOrWrongTypedFieldsAreRefusedBeforeTheService() {
    String owner = rooms.user("owner");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", rooms.user("bob"));
    JsonObject roomOnly = new JsonObject().put("room", room.toString());

    assertUnchanged(room, () -> {
      assertStatus(alterRaw(owner, new JsonObject().put("action", "ban").put("actiondata", roomOnly)), StatusCode.BAD_PACKET,
          "action: unknown action 'ban', expected one of add, remove, rename, leave, promote, demote, delete");
      assertStatus(alterRaw(owner, new JsonObject().put("action", "rename").put("actiondata", roomOnly)), StatusCode.BAD_PACKET,
          "actiondata.name: required");
      assertStatus(alterRaw(owner, new JsonObject().put("action", "leave")), StatusCode.BAD_PACKET, "actiondata: required");
      assertStatusContaining(alterRaw(owner, new JsonObject().put("action", "leave").put("actiondata", new JsonObject().put("room", 7))),
          StatusCode.BAD_PACKET, "actiondata.room: must be a UUID");
      assertStatus(alterRaw(owner, new JsonObject().put("action", "remove").put("actiondata", roomOnly.copy().put("user", List.of("x")))),
          StatusCode.BAD_PACKET, "actiondata.user: must be a username, got an array");
    });
  }

  private static Envelope alterRaw(String user, JsonObject data) {
    return rooms.send(Addresses.ROOM_ALTER, user, data);
  }

  private static AppendRoomEvent last(UUID room) {
    List<AppendRoomEvent> events = rooms.appended(room);
    return events.get(events.size() - 1);
  }

  /** Runs refused requests and checks the room's members, roles and announcements did not move. */
  private static void assertUnchanged(UUID room, Runnable refused) {
    JsonObject members = rooms.members(room);
    JsonObject info = rooms.info(rooms.membersOf(room).keySet().iterator().next(), room).toJson();
    int announced = rooms.announcedFor(room).size();
    refused.run();
    assertThat(rooms.members(room)).isEqualTo(members);
    assertThat(rooms.info(rooms.membersOf(room).keySet().iterator().next(), room).toJson()).isEqualTo(info);
    assertThat(rooms.announcedFor(room)).hasSize(announced);
  }
}
