package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** ROOM_INFO: one room's details and members. Answered by ROOM_INFO {...}. */
public record RoomInfo(UUID room) implements ClientPacket {

  public static RoomInfo parse(JsonObject data) {
    return new RoomInfo(Fields.of(data).uuid("room"));
  }

  @Override
  public PacketType type() {
    return PacketType.ROOM_INFO;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("room", room.toString());
  }
}
