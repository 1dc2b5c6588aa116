package io.parley.room.membership;

import io.parley.room.rooms.RoomState;
import io.parley.room.rooms.RoomStore;
import io.parley.shared.bus.InternalHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Internal {@code parley.room.members}: {room} → the live room's {@link
 * io.parley.shared.room.RoomMembership} JSON, or {@code {"found": false}} for an unknown or deleted
 * room. On the message service's cache-miss path, so it is one indexed query.
 */
public final class RoomMembersHandler implements InternalHandler {
  private final RoomStore store;

  public RoomMembersHandler(RoomStore store) {
    this.store = store;
  }

  @Override
  public Future<JsonObject> handle(JsonObject request) {
    UUID room = UUID.fromString(request.getString("room"));
    return store.findRoom(room)
        .map(found -> found.map(RoomState::membership).map(membership -> membership.toJson())
            .orElseGet(() -> new JsonObject().put("found", false)));
  }
}
