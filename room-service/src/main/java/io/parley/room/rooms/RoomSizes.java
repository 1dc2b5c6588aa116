package io.parley.room.rooms;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The live rooms by member count, for parley-admin's `rooms`: one statement over the members index. */
public final class RoomSizes {
  private final Pool pool;

  public RoomSizes(Pool pool) {
    this.pool = pool;
  }

  /** One room and how many members it has; {@code name} is null for a direct room. */
  public record Sized(java.util.UUID room, int type, String name, long members) {}

  /** The {@code limit} largest live rooms, largest first (ties: newest first). */
  public Future<List<Sized>> largest(int limit) {
    return pool.preparedQuery(
            "SELECT r.id, r.type, r.name, count(m.username) AS members FROM rooms r JOIN members m ON m.room_id = r.id"
                + " WHERE r.deleted_at IS NULL GROUP BY r.id ORDER BY members DESC, r.created_at DESC LIMIT $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<Sized> sized = new ArrayList<>();
          for (Row row : rows) {
            sized.add(new Sized(row.getUUID("id"), row.getInteger("type"), row.getString("name"), row.getLong("members")));
          }
          return sized;
        });
  }
}
