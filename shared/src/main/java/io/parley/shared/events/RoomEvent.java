package io.parley.shared.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a room's event log, exactly as clients see it in ROOM_EVENT pushes and in
 * SYNC_ROOM_DATA: a UUIDv7 id, the room, the per-room sequence number assigned at commit, the kind,
 * who caused it (and from which device, for message events), when, and kind-specific data.
 */
public record RoomEvent(
    UUID id, UUID room, long seq, RoomEventKind kind, String sender, UUID senderDevice, Instant at, JsonObject data) {

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("room", room.toString())
            .put("seq", seq)
            .put("kind", kind.wire())
            .put("sender", sender)
            .put("ts", at.toEpochMilli())
            .put("data", data);
    if (senderDevice != null) {
      json.put("sender_device", senderDevice.toString());
    }
    return json;
  }

  public static RoomEvent fromJson(JsonObject json) {
    String device = json.getString("sender_device");
    return new RoomEvent(
        UUID.fromString(json.getString("id")),
        UUID.fromString(json.getString("room")),
        json.getLong("seq"),
        RoomEventKind.fromWire(json.getString("kind")).orElseThrow(),
        json.getString("sender"),
        device == null ? null : UUID.fromString(device),
        Instant.ofEpochMilli(json.getLong("ts")),
        json.getJsonObject("data", new JsonObject()));
  }
}
