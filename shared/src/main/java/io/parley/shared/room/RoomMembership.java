package io.parley.shared.room;

import io.parley.shared.protocol.packet.RoomType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A live room's type and members with their roles: what the room service answers on
 * {@code parley.room.members} and what the message service caches to authorize and fan out every
 * room packet without asking again.
 */
public record RoomMembership(UUID room, RoomType type, Map<String, Role> members) {

  public RoomMembership {
    members = Map.copyOf(members);
  }

  public Optional<Role> roleOf(String user) {
    return Optional.ofNullable(members.get(user));
  }

  public boolean isMember(String user) {
    return members.containsKey(user);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    members.forEach((user, role) -> list.add(new JsonObject().put("user", user).put("role", role.wire())));
    return new JsonObject().put("room", room.toString()).put("type", type.wire()).put("members", list);
  }

  public static RoomMembership fromJson(JsonObject json) {
    Map<String, Role> members = new LinkedHashMap<>();
    for (Object entry : json.getJsonArray("members")) {
      JsonObject member = (JsonObject) entry;
      members.put(member.getString("user"), Role.fromWire(member.getString("role")).orElseThrow());
    }
    return new RoomMembership(
        UUID.fromString(json.getString("room")), RoomType.fromWire(json.getInteger("type")).orElseThrow(), members);
  }
}
