package io.parley.shared.protocol.packet;

import static io.parley.shared.protocol.Wire.badPacket;
import static io.parley.shared.protocol.Wire.data;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CREATE_ROOM, ALTER_ROOM, ROOM_LIST, ROOM_INFO. */
class RoomPacketsTest {

  private static final String ROOM = "0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192";
  private static final UUID ROOM_ID = UUID.fromString(ROOM);

  // --- CREATE_ROOM ---

  @Test
  @DisplayName("a group CREATE_ROOM parses with names folded and round-trips")
  void createGroup() {
    CreateRoom room = CreateRoom.parse(data("{'room-type':1,'room-name':' Book club ','people':['Bob','carol']}"));
    assertThat(room).isEqualTo(new CreateRoom(RoomType.GROUP, "Book club", List.of("bob", "carol")));
    assertThat(CreateRoom.parse(room.toData())).isEqualTo(room);
  }

  @Test
  @DisplayName("a channel CREATE_ROOM parses and round-trips")
  void createChannel() {
    CreateRoom room = CreateRoom.parse(data("{'room-type':2,'room-name':'News','people':['bob']}"));
    assertThat(room.roomType()).isEqualTo(RoomType.CHANNEL);
    assertThat(CreateRoom.parse(room.toData())).isEqualTo(room);
  }

  @Test
  @DisplayName("a direct CREATE_ROOM needs no name and round-trips without one")
  void createDirect() {
    CreateRoom room = CreateRoom.parse(data("{'room-type':0,'people':['bob']}"));
    assertThat(room).isEqualTo(new CreateRoom(RoomType.DIRECT, null, List.of("bob")));
    assertThat(room.toData().containsKey("room-name")).isFalse();
    assertThat(CreateRoom.parse(room.toData())).isEqualTo(room);
    assertThat(CreateRoom.parse(data("{'room-type':0,'room-name':'us','people':['bob']}")).roomName()).isEqualTo("us");
  }

  @ParameterizedTest
  @ValueSource(strings = {"3", "-1", "1.5", "'1'", "null"})
  @DisplayName("a room-type other than 0, 1 or 2 → BAD_PACKET room-type")
  void badRoomType(String roomType) {
    badPacket("room-type", () -> CreateRoom.parse(data("{'room-type':" + roomType + ",'room-name':'x','people':['bob']}")));
  }

  @Test
  @DisplayName("a group without a name, or with a blank or 129-character one → BAD_PACKET room-name")
  void badRoomName() {
    badPacket("room-name", () -> CreateRoom.parse(data("{'room-type':1,'people':['bob']}")));
    badPacket("room-name", () -> CreateRoom.parse(data("{'room-type':1,'room-name':'  ','people':['bob']}")));
    badPacket("room-name", () -> CreateRoom.parse(new JsonObject().put("room-type", 1).put("room-name", "n".repeat(129)).put("people", new JsonArray().add("bob"))));
    badPacket("room-name", () -> CreateRoom.parse(data("{'room-type':0,'room-name':'','people':['bob']}")));
  }

  @Test
  @DisplayName("a direct room naming two people → BAD_PACKET people")
  void directWithTwoPeople() {
    assertThat(badPacket("people", () -> CreateRoom.parse(data("{'room-type':0,'people':['bob','carol']}"))))
        .contains("exactly one other person");
  }

  @Test
  @DisplayName("a room with nobody, or with 257 people → BAD_PACKET people; 256 is fine")
  void peopleCount() {
    badPacket("people", () -> CreateRoom.parse(data("{'room-type':1,'room-name':'x','people':[]}")));
    badPacket("people", () -> CreateRoom.parse(data("{'room-type':1,'room-name':'x','people':'bob'}")));
    badPacket("people", () -> CreateRoom.parse(group(257)));
    assertThat(CreateRoom.parse(group(256)).people()).hasSize(256);
  }

  @Test
  @DisplayName("people[2] named twice (in any case) → BAD_PACKET people[2]")
  void duplicatePeople() {
    assertThat(badPacket("people[2]", () -> CreateRoom.parse(data("{'room-type':1,'room-name':'x','people':['bob','carol','BOB']}"))))
        .isEqualTo("names the same person as people[0]");
  }

  @Test
  @DisplayName("people[1] that is not a username → BAD_PACKET people[1]")
  void badPerson() {
    badPacket("people[1]", () -> CreateRoom.parse(data("{'room-type':1,'room-name':'x','people':['bob','no way']}")));
    badPacket("people[1]", () -> CreateRoom.parse(data("{'room-type':1,'room-name':'x','people':['bob',7]}")));
  }

  private static JsonObject group(int people) {
    JsonArray names = new JsonArray();
    IntStream.range(0, people).forEach(i -> names.add("user" + i));
    return new JsonObject().put("room-type", 1).put("room-name", "big").put("people", names);
  }

  // --- ALTER_ROOM ---

  @Test
  @DisplayName("every ALTER_ROOM action parses and round-trips")
  void everyAlterAction() {
    List<AlterRoom.Action> actions =
        List.of(
            new AlterRoom.Add(ROOM_ID, List.of("bob", "carol")),
            new AlterRoom.Remove(ROOM_ID, "bob"),
            new AlterRoom.Rename(ROOM_ID, "Book club"),
            new AlterRoom.Leave(ROOM_ID),
            new AlterRoom.Promote(ROOM_ID, "bob"),
            new AlterRoom.Demote(ROOM_ID, "bob"),
            new AlterRoom.Delete(ROOM_ID));
    assertThat(actions).extracting(AlterRoom.Action::kind).containsExactly(AlterRoom.Kind.values());
    for (AlterRoom.Action action : actions) {
      AlterRoom packet = new AlterRoom(action);
      assertThat(AlterRoom.parse(packet.toData())).isEqualTo(packet);
      assertThat(packet.room()).isEqualTo(ROOM_ID);
    }
  }

  @Test
  @DisplayName("ALTER_ROOM as a client writes it: add folds names, rename trims")
  void alterAsWritten() {
    assertThat(AlterRoom.parse(data("{'action':'add','actiondata':{'room':'" + ROOM + "','people':['Bob']}}")))
        .isEqualTo(new AlterRoom(new AlterRoom.Add(ROOM_ID, List.of("bob"))));
    assertThat(AlterRoom.parse(data("{'action':'rename','actiondata':{'room':'" + ROOM + "','name':' Club '}}")))
        .isEqualTo(new AlterRoom(new AlterRoom.Rename(ROOM_ID, "Club")));
    assertThat(AlterRoom.parse(data("{'action':'promote','actiondata':{'room':'" + ROOM + "','user':'BOB'}}")))
        .isEqualTo(new AlterRoom(new AlterRoom.Promote(ROOM_ID, "bob")));
  }

  @Test
  @DisplayName("an unknown ALTER_ROOM action → BAD_PACKET action listing the known ones")
  void unknownAlterAction() {
    assertThat(badPacket("action", () -> AlterRoom.parse(data("{'action':'kick','actiondata':{'room':'" + ROOM + "'}}"))))
        .isEqualTo("unknown action 'kick', expected one of add, remove, rename, leave, promote, demote, delete");
    badPacket("action", () -> AlterRoom.parse(data("{'actiondata':{'room':'" + ROOM + "'}}")));
  }

  @Test
  @DisplayName("ALTER_ROOM without an actiondata object, or without its room → BAD_PACKET actiondata / actiondata.room")
  void alterNeedsRoom() {
    badPacket("actiondata", () -> AlterRoom.parse(data("{'action':'leave'}")));
    badPacket("actiondata", () -> AlterRoom.parse(data("{'action':'leave','actiondata':'" + ROOM + "'}")));
    badPacket("actiondata.room", () -> AlterRoom.parse(data("{'action':'leave','actiondata':{}}")));
    badPacket("actiondata.room", () -> AlterRoom.parse(data("{'action':'delete','actiondata':{'room':'general'}}")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"remove", "promote", "demote"})
  @DisplayName("remove/promote/demote without a valid user → BAD_PACKET actiondata.user")
  void alterNeedsUser(String action) {
    badPacket("actiondata.user", () -> AlterRoom.parse(data("{'action':'" + action + "','actiondata':{'room':'" + ROOM + "'}}")));
    badPacket("actiondata.user", () -> AlterRoom.parse(data("{'action':'" + action + "','actiondata':{'room':'" + ROOM + "','user':'x'}}")));
  }

  @Test
  @DisplayName("add with no people, a duplicate or a bad name → BAD_PACKET actiondata.people…")
  void alterAddPeople() {
    badPacket("actiondata.people", () -> AlterRoom.parse(data("{'action':'add','actiondata':{'room':'" + ROOM + "','people':[]}}")));
    badPacket("actiondata.people[1]", () -> AlterRoom.parse(data("{'action':'add','actiondata':{'room':'" + ROOM + "','people':['bob','Bob']}}")));
    badPacket("actiondata.people[0]", () -> AlterRoom.parse(data("{'action':'add','actiondata':{'room':'" + ROOM + "','people':['b']}}")));
  }

  @Test
  @DisplayName("rename to a blank or 129-character name → BAD_PACKET actiondata.name")
  void alterRename() {
    badPacket("actiondata.name", () -> AlterRoom.parse(data("{'action':'rename','actiondata':{'room':'" + ROOM + "','name':' '}}")));
    badPacket("actiondata.name", () -> AlterRoom.parse(new JsonObject().put("action", "rename")
        .put("actiondata", new JsonObject().put("room", ROOM).put("name", "n".repeat(129)))));
  }

  // --- ROOM_LIST, ROOM_INFO ---

  @Test
  @DisplayName("ROOM_LIST {} parses and round-trips to {}")
  void roomList() {
    assertThat(RoomList.parse(data("{}"))).isEqualTo(new RoomList());
    assertThat(new RoomList().toData()).isEqualTo(new JsonObject());
  }

  @Test
  @DisplayName("ROOM_INFO {room} parses and round-trips; a bad room → BAD_PACKET room")
  void roomInfo() {
    RoomInfo info = RoomInfo.parse(data("{'room':'" + ROOM + "'}"));
    assertThat(info.room()).isEqualTo(ROOM_ID);
    assertThat(RoomInfo.parse(info.toData())).isEqualTo(info);
    badPacket("room", () -> RoomInfo.parse(data("{}")));
    badPacket("room", () -> RoomInfo.parse(data("{'room':'general'}")));
    badPacket("room", () -> RoomInfo.parse(data("{'room':42}")));
  }
}
