package io.parley.shared.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The room service's request to the message service (on {@code parley.message.append-room-event})
 * to append a membership or metadata event to a room's log and push it live. Sent from the room
 * service's outbox after the room change is committed, and again until it is acknowledged; the reply
 * is the appended {@link RoomEvent}.
 *
 * @param id the event's id in the log, chosen when the change commits: a repeated request with the
 *     same id appends nothing and is answered with the stored event
 * @param alsoNotify users who are no longer members but must see this event live (the removed or
 *     departed member, everyone of a deleted room)
 */
public record AppendRoomEvent(
    UUID id, UUID room, RoomEventKind kind, String actor, JsonObject data, List<String> alsoNotify) {

  public AppendRoomEvent {
    Objects.requireNonNull(id, "id");
    alsoNotify = List.copyOf(alsoNotify);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("room", room.toString())
        .put("kind", kind.wire())
        .put("actor", actor)
        .put("data", data)
        .put("alsoNotify", new JsonArray(alsoNotify));
  }

  public static AppendRoomEvent fromJson(JsonObject json) {
    String id = json.getString("id");
    return new AppendRoomEvent(
        // A room service older than the outbox sends no id: its event gets a fresh one (appended once
        // per request, as it was then).
        id == null ? UuidV7.next() : UUID.fromString(id),
        UUID.fromString(json.getString("room")),
        RoomEventKind.fromWire(json.getString("kind")).orElseThrow(),
        json.getString("actor"),
        json.getJsonObject("data", new JsonObject()),
        json.getJsonArray("alsoNotify", new JsonArray()).stream().map(String::valueOf).toList());
  }
}
