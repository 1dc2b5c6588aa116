package io.parley.client.e2e;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** One entry of ROOM_LIST: a room of the user with its last sequence number and unread count. */
public record RoomSummary(UUID room, int type, String name, int members, String role, long lastSeq, long unread) {
  static RoomSummary fromJson(JsonObject json) {
    return new RoomSummary(
        UUID.fromString(json.getString("room")),
        json.getInteger("type", 1),
        json.getString("name", ""),
        json.getInteger("members", 0),
        json.getString("role", ""),
        json.getLong("last_seq", 0L),
        json.getLong("unread", 0L));
  }

  public String typeName() {
    return switch (type) {
      case 0 -> "direct";
      case 2 -> "channel";
      default -> "group";
    };
  }
}
