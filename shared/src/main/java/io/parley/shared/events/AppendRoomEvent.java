package io.parley.shared.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * The room service's request to the message service (on {@code parley.message.append-room-event})
 * to append a membership or metadata event to a room's log and push it live. Sent after the room
 * change is committed; the reply is the appended {@link RoomEvent}.
 *
 * @param alsoNotify users who are no longer members but must see this event live (the removed or
 *     departed member, everyone of a deleted room)
 */
public record AppendRoomEvent(UUID room, RoomEventKind kind, String actor, JsonObject data, List<String> alsoNotify) {

  public AppendRoomEvent {
    alsoNotify = List.copyOf(alsoNotify);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("room", room.toString())
        .put("kind", kind.wire())
        .put("actor", actor)
        .put("data", data)
        .put("alsoNotify", new JsonArray(alsoNotify));
  }

  public static AppendRoomEvent fromJson(JsonObject json) {
    return new AppendRoomEvent(
        UUID.fromString(json.getString("room")),
        RoomEventKind.fromWire(json.getString("kind")).orElseThrow(),
        json.getString("actor"),
        json.getJsonObject("data", new JsonObject()),
        json.getJsonArray("alsoNotify", new JsonArray()).stream().map(String::valueOf).toList());
  }
}
