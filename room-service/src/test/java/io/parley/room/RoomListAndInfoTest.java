package io.parley.room;

import static io.parley.room.RoomHarness.assertOk;
import static io.parley.room.RoomHarness.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.MigrationIndex;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoomListAndInfoTest {
  private static final String NOT_FOUND = "no such room, or you are not a member of it";
  private static RoomHarness rooms;

  @BeforeAll
  static void start() {
    rooms = RoomHarness.start(RoomListAndInfoTest.class.getSimpleName());
  }

  @AfterAll
  static void stop() {
    rooms.close();
  }

  @Test
  void roomListMergesTheMessageServiceCountersNewestMembershipFirst() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");
    String carol = rooms.user("carol");
    UUID direct = rooms.createRoom(alice, RoomType.DIRECT, null, bob);
    UUID group = rooms.roomWith(RoomType.GROUP, carol, List.of(alice), List.of(bob));
    UUID deleted = rooms.createRoom(alice, RoomType.CHANNEL, "Old news", bob);
    assertOk(rooms.alter(alice, new AlterRoom.Delete(deleted)));
    rooms.stats.put(alice, new JsonObject().put(direct.toString(), new JsonObject().put("last_seq", 7).put("unread", 2)));

    Envelope reply = rooms.list(alice);

    assertThat(reply.is(PacketType.ROOM_LIST)).isTrue();
    assertThat(reply.data().getJsonArray("rooms")).containsExactly(
        new JsonObject().put("room", group.toString()).put("type", 1).put("name", "Room of " + carol).put("members", 3)
            .put("role", "admin").put("last_seq", 0L).put("unread", 0L),
        new JsonObject().put("room", direct.toString()).put("type", 0).put("name", bob).put("members", 2)
            .put("role", "owner").put("last_seq", 7L).put("unread", 2L));
    JsonObject asked = rooms.statsRequests.get(rooms.statsRequests.size() - 1);
    assertThat(asked.getString("user")).isEqualTo(alice);
    assertThat(asked.getJsonArray("rooms")).containsExactlyInAnyOrder(group.toString(), direct.toString());
  }

  @Test
  void aDirectRoomIsListedUnderTheOtherPersonsName() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");
    rooms.createRoom(alice, RoomType.DIRECT, "whatever alice typed", bob);

    assertThat(rooms.list(bob).data().getJsonArray("rooms").getJsonObject(0).getString("name")).isEqualTo(alice);
    assertThat(rooms.list(alice).data().getJsonArray("rooms").getJsonObject(0).getString("name")).isEqualTo(bob);
  }

  @Test
  void someoneWithoutRoomsGetsAnEmptyListWithoutAskingTheMessageService() {
    int asked = rooms.statsRequests.size();

    Envelope reply = rooms.list(rooms.user("loner"));

    assertThat(reply.data()).isEqualTo(new JsonObject().put("rooms", new JsonArray()));
    assertThat(rooms.statsRequests).hasSize(asked);
  }

  @Test
  void aNonMemberDoesNotSeeTheRoomInTheirList() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);
    assertOk(rooms.alter(owner, new AlterRoom.Remove(room, bob)));

    assertThat(rooms.list(bob).data().getJsonArray("rooms")).isEmpty();
  }

  @Test
  void roomInfoIsTheKeyDirectoryOfEveryMemberDevice() {
    String alice = rooms.user("alice");
    String bob = rooms.user("bob");
    String carol = rooms.user("carol");
    UUID room = rooms.roomWith(RoomType.CHANNEL, alice, List.of(carol), List.of(bob));
    JsonArray aliceDevices = new JsonArray()
        .add(new JsonObject().put("device", UUID.randomUUID().toString()).put("chat_pubkey", "-----BEGIN PUBLIC KEY-----\nA\n-----END PUBLIC KEY-----\n"))
        .add(new JsonObject().put("device", UUID.randomUUID().toString()).put("chat_pubkey", "-----BEGIN PUBLIC KEY-----\nB\n-----END PUBLIC KEY-----\n"));
    JsonArray bobDevices = new JsonArray()
        .add(new JsonObject().put("device", UUID.randomUUID().toString()).put("chat_pubkey", "-----BEGIN PUBLIC KEY-----\nC\n-----END PUBLIC KEY-----\n"));
    rooms.deviceKeys.put(alice, aliceDevices);
    rooms.deviceKeys.put(bob, bobDevices);

    Envelope reply = rooms.info(bob, room);

    assertThat(reply.is(PacketType.ROOM_INFO)).isTrue();
    assertThat(reply.data()).isEqualTo(new JsonObject()
        .put("room", room.toString())
        .put("type", 2)
        .put("name", "Room of " + alice)
        .put("members", new JsonArray()
            .add(new JsonObject().put("user", alice).put("role", "owner").put("devices", aliceDevices))
            .add(new JsonObject().put("user", carol).put("role", "admin").put("devices", new JsonArray()))
            .add(new JsonObject().put("user", bob).put("role", "member").put("devices", bobDevices))));
  }

  @Test
  void aNonMemberAskingForInfoGetsTheSameAnswerAsForNoRoom() {
    String owner = rooms.user("owner");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", rooms.user("bob"));

    assertStatus(rooms.info(rooms.user("stranger"), room), StatusCode.ROOM_NOT_FOUND, NOT_FOUND);
    assertStatus(rooms.info(owner, UUID.randomUUID()), StatusCode.ROOM_NOT_FOUND, NOT_FOUND);
    assertStatus(rooms.send(io.parley.shared.bus.Addresses.ROOM_INFO, owner, new JsonObject().put("room", "nope")),
        StatusCode.BAD_PACKET, "room: must be a UUID like 0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192");
  }

  @Test
  void roomMembersAnswersTheMessageServiceForLiveDeletedAndUnknownRooms() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);

    JsonObject live = rooms.members(room);
    assertThat(io.parley.shared.room.RoomMembership.fromJson(live).members())
        .containsOnlyKeys(owner, bob);
    assertThat(live.getInteger("type")).isEqualTo(1);
    assertThat(live.getString("room")).isEqualTo(room.toString());

    assertThat(rooms.members(UUID.randomUUID())).isEqualTo(new JsonObject().put("found", false));
    assertOk(rooms.alter(owner, new AlterRoom.Delete(room)));
    assertThat(rooms.members(room)).isEqualTo(new JsonObject().put("found", false));
  }

  @Test
  void everyMigrationFileIsListed() {
    MigrationIndex.assertComplete("room");
  }
}
