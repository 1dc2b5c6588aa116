package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/** ROOM_LIST: the caller's rooms. No fields. Answered by ROOM_LIST {rooms}. */
public record RoomList() implements ClientPacket {

  public static RoomList parse(JsonObject data) {
    return new RoomList();
  }

  @Override
  public PacketType type() {
    return PacketType.ROOM_LIST;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject();
  }
}
