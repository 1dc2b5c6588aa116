package io.parley.message.log;

import io.parley.message.store.EventStore;
import io.parley.shared.bus.InternalHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** For ROOM_LIST: each room's last sequence number and the caller's unread count, one query. */
public final class RoomStatsHandler implements InternalHandler {
  private final EventStore events;

  public RoomStatsHandler(EventStore events) {
    this.events = events;
  }

  @Override
  public Future<JsonObject> handle(JsonObject request) {
    List<UUID> rooms = request.getJsonArray("rooms").stream().map(room -> UUID.fromString(String.valueOf(room))).toList();
    return events.stats(request.getString("user"), rooms).map(stats -> {
      JsonObject byRoom = new JsonObject();
      stats.forEach((room, stat) -> byRoom.put(room.toString(), new JsonObject().put("last_seq", stat.lastSeq()).put("unread", stat.unread())));
      return new JsonObject().put("stats", byRoom);
    });
  }
}
