package io.parley.room.outbox;

import io.parley.shared.events.AppendRoomEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The event outbox of the room schema: the log events of committed room changes, waiting to be
 * appended to the room's log by the message service. A change writes its events with {@link
 * #enqueue} in its own transaction, so a change is never committed without them.
 */
public final class OutboxStore {
  /**
   * How long a fresh event is left to the fast path (the replica that committed it relays it right
   * away) before the periodic sweep of any replica takes it: only a replica that died in between
   * leaves it that long.
   */
  static final Duration FAST_PATH_GRACE = Duration.ofSeconds(5);

  /**
   * First key of the relay's per-room advisory locks (the second is the room id's hash). The
   * two-key lock space does not overlap the one-key space of the migrations' lock. A hash collision
   * only makes two rooms take turns.
   */
  private static final int RELAY_LOCK_CLASS = 0x0B0C;

  private final Pool pool;

  public OutboxStore(Pool pool) {
    this.pool = pool;
  }

  /** A pending event and how many relays have failed to append it so far. */
  public record Pending(long position, AppendRoomEvent event, int attempts) {}

  /** What one relay of a room achieved: how many of the pending events (from the oldest) were appended. */
  public record Progress(int appended, Throwable failure) {}

  /**
   * The outcome of {@link #relayRoom}: {@code busy} when another relay holds the room; {@code more}
   * when a full batch went through and more may be waiting.
   */
  public record Relayed(boolean busy, int appended, Throwable failure, boolean more) {
    static final Relayed BUSY = new Relayed(true, 0, null, false);
    static final Relayed NOTHING = new Relayed(false, 0, null, false);
  }

  /** Adds a committed change's events, in order, to the transaction {@code tx} that commits the change. */
  public static Future<Void> enqueue(SqlConnection tx, List<AppendRoomEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(events.size());
    for (AppendRoomEvent event : events) {
      rows.add(Tuple.of(event.id(), event.room(), event.toJson(), (double) FAST_PATH_GRACE.toMillis() / 1000));
    }
    // A batch runs its rows in list order, so positions follow the change's own event order.
    return tx.preparedQuery(
            "INSERT INTO outbox (event_id, room_id, body, next_attempt_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))")
        .executeBatch(rows)
        .mapEmpty();
  }

  /** What waits in the outbox: how many events, and how long the oldest has waited (0 when empty). */
  public record Backlog(long events, long oldestSeconds) {}

  /** The outbox's size and age, for the operator: a growing age means room events are stuck. */
  public Future<Backlog> backlog() {
    return pool.query("SELECT count(*) AS events, coalesce(extract(epoch FROM now() - min(created_at)), 0)::bigint AS oldest FROM outbox")
        .execute()
        .map(rows -> {
          var row = rows.iterator().next();
          return new Backlog(row.getLong("events"), row.getLong("oldest"));
        });
  }

  /**
   * Rooms whose oldest pending event is due (its grace or back-off is over), the longest waiting
   * first, at most {@code limit}.
   */
  public Future<List<UUID>> dueRooms(int limit) {
    return pool.preparedQuery(
            "SELECT room_id FROM (SELECT DISTINCT ON (room_id) room_id, position, next_attempt_at FROM outbox"
                + " ORDER BY room_id, position) heads WHERE next_attempt_at <= now() ORDER BY position LIMIT $1")
        .execute(Tuple.of(limit))
        .map(rows -> {
          List<UUID> rooms = new ArrayList<>();
          rows.forEach(row -> rooms.add(row.getUUID("room_id")));
          return rooms;
        });
  }

  /**
   * One transaction: takes the room's relay lock (or answers {@code busy} at once when another relay,
   * of this or another replica, holds it), reads the room's oldest {@code limit} pending events, lets
   * {@code relay} append them in order, deletes the ones it appended and, when it stopped at a
   * failure, puts the failed event off by {@code backoff} of its attempts. The lock is an advisory
   * lock: no client request waits for it, so holding it across the bus requests is safe; if this
   * transaction dies, nothing is deleted and the next relay appends the same events again (the
   * message service answers a known event id with the stored event).
   */
  public Future<Relayed> relayRoom(
      UUID room, int limit, Function<List<Pending>, Future<Progress>> relay, Function<Integer, Duration> backoff) {
    return pool.withTransaction(tx -> tx
        .preparedQuery("SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS mine")
        .execute(Tuple.of(RELAY_LOCK_CLASS, room.toString()))
        .compose(locked -> {
          if (!locked.iterator().next().getBoolean("mine")) {
            return Future.succeededFuture(Relayed.BUSY);
          }
          return tx.preparedQuery("SELECT position, body, attempts FROM outbox WHERE room_id = $1 ORDER BY position LIMIT $2")
              .execute(Tuple.of(room, limit))
              .compose(rows -> {
                List<Pending> pending = new ArrayList<>();
                for (Row row : rows) {
                  pending.add(new Pending(
                      row.getLong("position"), AppendRoomEvent.fromJson((JsonObject) row.getValue("body")), row.getInteger("attempts")));
                }
                if (pending.isEmpty()) {
                  return Future.succeededFuture(Relayed.NOTHING);
                }
                return relay.apply(pending).compose(progress -> record(tx, pending, progress, backoff)
                    .map(done -> new Relayed(false, progress.appended(), progress.failure(),
                        progress.failure() == null && pending.size() == limit)));
              });
        }));
  }

  private static Future<Void> record(
      SqlConnection tx, List<Pending> pending, Progress progress, Function<Integer, Duration> backoff) {
    Long[] appended = pending.subList(0, progress.appended()).stream().map(Pending::position).toArray(Long[]::new);
    Future<Void> deleted = appended.length == 0
        ? Future.succeededFuture()
        : tx.preparedQuery("DELETE FROM outbox WHERE position = ANY($1)").execute(Tuple.of(appended)).mapEmpty();
    if (progress.failure() == null) {
      return deleted;
    }
    Pending failed = pending.get(progress.appended());
    double delay = (double) backoff.apply(failed.attempts()).toMillis() / 1000;
    String reason = String.valueOf(progress.failure().getMessage());
    return deleted.compose(done -> tx.preparedQuery(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2), last_error = $3"
                + " WHERE position = $1")
        .execute(Tuple.of(failed.position(), delay, reason))
        .mapEmpty());
  }
}
