package io.parley.message.store;

import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.events.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** The room event log: appends with per-room sequence numbers, and reads by sequence. */
public final class EventStore {
  /**
   * One statement, so one implicit transaction: bump the room's head (its row lock orders a room's
   * writers without a table scan) and insert the event under the new number. Either both happen or
   * neither; a sequence number is never skipped or reused.
   */
  private static final String APPEND =
      "WITH head AS ("
          + " INSERT INTO room_heads (room_id, last_seq) VALUES ($1, 1)"
          + " ON CONFLICT (room_id) DO UPDATE SET last_seq = room_heads.last_seq + 1"
          + " RETURNING last_seq)"
          + " INSERT INTO events (room_id, seq, id, kind, sender, sender_device, body, created_at, target)"
          + " SELECT $1, last_seq, $2, $3, $4, $5, $6, $7, $8 FROM head RETURNING seq";

  private static final String APPEND_RECORDED =
      "WITH request AS ("
          + " INSERT INTO requests (username, device_id, request_id, result) VALUES ($4, $5, $9, jsonb_build_object('event', $10::text))"
          + " ON CONFLICT (username, device_id, request_id) DO NOTHING RETURNING 1),"
          + " head AS ("
          + " INSERT INTO room_heads (room_id, last_seq) SELECT $1, 1 WHERE EXISTS (SELECT 1 FROM request)"
          + " ON CONFLICT (room_id) DO UPDATE SET last_seq = room_heads.last_seq + 1"
          + " RETURNING last_seq)"
          + " INSERT INTO events (room_id, seq, id, kind, sender, sender_device, body, created_at, target)"
          + " SELECT $1, last_seq, $2, $3, $4, $5, $6, $7, $8 FROM head RETURNING seq";

  /**
   * {@link #APPEND} for an event whose id the writer chose: when an event with that id exists (a
   * retried relay) the head is not bumped and nothing comes back, so no sequence number is spent.
   * Two concurrent tries of one id: the second waits on the room head's row lock, then its insert
   * hits the unique id and the whole statement (head bump included) rolls back.
   */
  private static final String APPEND_WITH_ID =
      "WITH head AS ("
          + " INSERT INTO room_heads (room_id, last_seq) SELECT $1, 1 WHERE NOT EXISTS (SELECT 1 FROM events WHERE id = $2)"
          + " ON CONFLICT (room_id) DO UPDATE SET last_seq = room_heads.last_seq + 1"
          + " RETURNING last_seq)"
          + " INSERT INTO events (room_id, seq, id, kind, sender, sender_device, body, created_at, target)"
          + " SELECT $1, last_seq, $2, $3, $4, $5, $6, $7, $8 FROM head RETURNING seq";

  private static final String UNIQUE_VIOLATION = "23505";

  private static final String COLUMNS = "room_id, seq, id, kind, sender, sender_device, body, created_at";

  private final Pool pool;
  private final GroupCommit groupCommit;

  public EventStore(Pool pool) {
    this.pool = pool;
    this.groupCommit = new GroupCommit(pool);
  }

  /**
   * What to append; the store assigns the sequence number.
   *
   * @param target the message an edit, delete or pin acts on; null otherwise
   */
  public record Draft(UUID room, RoomEventKind kind, String sender, UUID senderDevice, JsonObject data, UUID target) {
    public Draft(UUID room, RoomEventKind kind, String sender, UUID senderDevice, JsonObject data) {
      this(room, kind, sender, senderDevice, data, null);
    }
  }

  /** Group-commit batches written by this store (for tests and diagnostics). */
  long batchesWritten() {
    return groupCommit.batchesWritten();
  }

  public Future<RoomEvent> appendEvent(Draft draft) {
    return append(pool, draft);
  }

  /**
   * Appends a client's event exactly once per (user, device, request id): the event and the record of
   * the request commit together, so a retry after a lost reply (or a crashed replica) returns the first
   * result and stores nothing new. The user is part of the key because a device id is the client's
   * claim: another account announcing the same device id must neither read this user's results nor
   * make this user's sends look like retries. Without a request id it is a plain append.
   *
   * @param alsoInTransaction more work that must commit with the event (a delete's erasure), or null
   */
  public Future<Appended> appendOnce(Draft draft, String requestId, Function<SqlConnection, Future<Void>> alsoInTransaction) {
    if (alsoInTransaction == null) {
      // The common case — a send, edit or pin — goes with the next group commit.
      return groupCommit.append(draft, requestId).compose(event -> event != null
          ? Future.succeededFuture(new Appended(event, true))
          : priorResult(draft.sender(), draft.senderDevice(), requestId).map(prior -> new Appended(prior.orElseThrow(), false)));
    }
    if (requestId == null) {
      return pool.withTransaction(tx -> alsoInTransaction.apply(tx).compose(done -> append(tx, draft)))
          .map(event -> new Appended(event, true));
    }
    Future<Optional<RoomEvent>> appended = pool.withTransaction(tx -> appendRecorded(tx, draft, requestId).compose(event -> event.isPresent()
            ? alsoInTransaction.apply(tx).map(event)
            : Future.succeededFuture(event)));
    // Nothing appended: this (user, device, request id) was seen before, and its first result is the answer.
    return appended.compose(event -> event.isPresent()
        ? Future.succeededFuture(new Appended(event.get(), true))
        : priorResult(draft.sender(), draft.senderDevice(), requestId).map(prior -> new Appended(prior.orElseThrow(), false)));
  }

  /**
   * Appends an event under the id its writer chose, exactly once: a repeat (the writer's retry after
   * a lost reply, or an outbox relayed twice) appends nothing and returns the stored event with
   * {@code fresh = false}. A stored event of that id in another room is a writer's bug and fails.
   */
  public Future<Appended> appendEventOnce(UUID id, Draft draft) {
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return pool.preparedQuery(APPEND_WITH_ID)
        .execute(Tuple.from(new Object[] {
            draft.room(), id, draft.kind().wire(), draft.sender(), draft.senderDevice(), draft.data(), at.atOffset(ZoneOffset.UTC), draft.target()}))
        .map(rows -> rows.iterator().hasNext()
            ? Optional.of(new Appended(new RoomEvent(
                id, draft.room(), rows.iterator().next().getLong("seq"), draft.kind(), draft.sender(), draft.senderDevice(), at, draft.data()), true))
            : Optional.<Appended>empty())
        .recover(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(failure))
        .compose(appended -> appended.isPresent()
            ? Future.succeededFuture(appended.get())
            : eventById(id).map(stored -> {
              RoomEvent event = stored.orElseThrow(() -> new IllegalStateException("event " + id + " neither appended nor stored"));
              if (!event.room().equals(draft.room())) {
                throw new IllegalStateException("event " + id + " is stored in another room");
              }
              return new Appended(event, false);
            }));
  }

  private Future<Optional<RoomEvent>> eventById(UUID id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM events WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(fromRow(rows.iterator().next())) : Optional.empty());
  }

  /** An event and whether this call appended it ({@code fresh}) or found it from an earlier try. */
  public record Appended(RoomEvent event, boolean fresh) {}

  /**
   * The request record, the room head and the event in one statement, so a send with a request id
   * costs one round trip: the record is inserted first and, when it already exists (a retry), the
   * head and the event are not touched and nothing comes back. A concurrent retry waits on the
   * record's unique index for the first one to commit, then finds it.
   */
  private static Future<Optional<RoomEvent>> appendRecorded(SqlClient client, Draft draft, String requestId) {
    UUID id = UuidV7.next();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return client.preparedQuery(APPEND_RECORDED)
        .execute(Tuple.from(new Object[] {
            draft.room(), id, draft.kind().wire(), draft.sender(), draft.senderDevice(), draft.data(),
            at.atOffset(ZoneOffset.UTC), draft.target(), requestId, id.toString()}))
        .map(rows -> rows.iterator().hasNext()
            ? Optional.of(new RoomEvent(
                id, draft.room(), rows.iterator().next().getLong("seq"), draft.kind(), draft.sender(), draft.senderDevice(), at, draft.data()))
            : Optional.empty());
  }

  /** The event this user's device produced for an earlier request with this id, if any. */
  public Future<Optional<RoomEvent>> priorResult(String user, UUID device, String requestId) {
    return pool.preparedQuery(
            "SELECT e.room_id, e.seq, e.id, e.kind, e.sender, e.sender_device, e.body, e.created_at"
                + " FROM requests r JOIN events e ON e.id = (r.result->>'event')::uuid"
                + " WHERE r.username = $1 AND r.device_id = $2 AND r.request_id = $3")
        .execute(Tuple.of(user, device, requestId))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(fromRow(rows.iterator().next())) : Optional.empty());
  }

  private static Future<RoomEvent> append(SqlClient client, Draft draft) {
    UUID id = UuidV7.next();
    // Millisecond precision: what clients see in `ts`, and what a re-read returns.
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return client.preparedQuery(APPEND)
        .execute(Tuple.from(new Object[] {
            draft.room(), id, draft.kind().wire(), draft.sender(), draft.senderDevice(), draft.data(), at.atOffset(ZoneOffset.UTC), draft.target()}))
        .map(rows -> new RoomEvent(
            id, draft.room(), rows.iterator().next().getLong("seq"), draft.kind(), draft.sender(), draft.senderDevice(), at, draft.data()));
  }

  /** A message as edit, delete, pin and receipts need it. */
  public record MessageRef(UUID id, long seq, String sender, boolean deleted) {}

  /** The msg.sent event {@code msg} of this room; empty when it is not a message of this room. */
  public Future<Optional<MessageRef>> findMessage(UUID room, UUID msg) {
    return pool.preparedQuery("SELECT id, seq, sender, body FROM events WHERE id = $1 AND room_id = $2 AND kind = 'msg.sent'")
        .execute(Tuple.of(msg, room))
        .map(rows -> {
          if (!rows.iterator().hasNext()) {
            return Optional.empty();
          }
          Row row = rows.iterator().next();
          JsonObject body = (JsonObject) row.getValue("body");
          return Optional.of(new MessageRef(row.getUUID("id"), row.getLong("seq"), row.getString("sender"), body.getBoolean("deleted", false)));
        });
  }

  /** The sequence number of any event of this room; empty when the id names no event of this room. */
  public Future<Optional<Long>> seqOf(UUID room, UUID event) {
    return pool.preparedQuery("SELECT seq FROM events WHERE id = $1 AND room_id = $2")
        .execute(Tuple.of(event, room))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getLong("seq")) : Optional.empty());
  }

  /**
   * Erases a message's ciphertext, and that of its edits, leaving tombstones that keep their place in
   * the log: part of the delete's transaction.
   */
  public static Future<Void> eraseContent(SqlConnection tx, UUID room, UUID msg) {
    return tx.preparedQuery(
            "UPDATE events SET body = jsonb_build_object('format', body->'format', 'deleted', true)"
                + " WHERE id = $1 AND room_id = $2")
        .execute(Tuple.of(msg, room))
        .compose(done -> tx.preparedQuery(
                "UPDATE events SET body = jsonb_build_object('msg', body->'msg', 'deleted', true)"
                    + " WHERE target = $1 AND room_id = $2 AND kind = 'msg.edited'")
            .execute(Tuple.of(msg, room)))
        .mapEmpty();
  }

  /**
   * For a deleted account: everything the user sent that carries content becomes a tombstone marked
   * {@code account_deleted} — messages and edits lose their ciphertext, deletes their sealed reason,
   * key announcements their key — keeping each event's place, sequence number and id so the rooms'
   * logs, cursors and other people's edits and pins stay consistent. The user's read pointers and
   * retry records go. One transaction; repeating it changes nothing more. Returns the events erased.
   */
  public Future<Integer> forgetSender(String user) {
    return pool.withTransaction(tx -> tx.preparedQuery(
                "UPDATE events SET body = CASE kind"
                    + " WHEN 'msg.sent' THEN jsonb_build_object('format', body->'format', 'deleted', true, 'account_deleted', true)"
                    + " WHEN 'msg.edited' THEN jsonb_build_object('msg', body->'msg', 'deleted', true, 'account_deleted', true)"
                    + " WHEN 'msg.deleted' THEN jsonb_build_object('msg', body->'msg', 'account_deleted', true)"
                    + " ELSE jsonb_build_object('device', body->'device', 'account_deleted', true) END"
                    + " WHERE sender = $1 AND kind IN ('msg.sent', 'msg.edited', 'msg.deleted', 'key.saved')"
                    + " AND NOT (body ? 'account_deleted')")
            .execute(Tuple.of(user))
            .compose(erased -> tx.preparedQuery("DELETE FROM read_pointers WHERE username = $1").execute(Tuple.of(user))
                .compose(done -> tx.preparedQuery("DELETE FROM requests WHERE username = $1").execute(Tuple.of(user)))
                .map(done -> erased.rowCount())));
  }

  /** Events after {@code afterSeq}, oldest first, at most {@code limit}. */
  public Future<List<RoomEvent>> eventsAfter(UUID room, long afterSeq, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM events WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3")
        .execute(Tuple.of(room, afterSeq, limit))
        .map(EventStore::events);
  }

  /** Events before {@code beforeSeq} (the newest of them), returned oldest first, at most {@code limit}. */
  public Future<List<RoomEvent>> eventsBefore(UUID room, long beforeSeq, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM events WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3")
        .execute(Tuple.of(room, beforeSeq, limit))
        .map(rows -> {
          List<RoomEvent> newestFirst = events(rows);
          Collections.reverse(newestFirst);
          return newestFirst;
        });
  }

  /** Moves the member's read pointer forward (never back) to {@code seq}. */
  public Future<Void> markRead(UUID room, String user, long seq) {
    return pool.preparedQuery(
            "INSERT INTO read_pointers (room_id, username, seq) VALUES ($1, $2, $3)"
                + " ON CONFLICT (room_id, username) DO UPDATE SET seq = GREATEST(read_pointers.seq, EXCLUDED.seq)")
        .execute(Tuple.of(room, user, seq))
        .mapEmpty();
  }

  /** Forgets deduplication records older than {@code retention}; returns how many went. */
  public Future<Integer> purgeRequestsOlderThan(java.time.Duration retention) {
    return pool.preparedQuery("DELETE FROM requests WHERE created_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) retention.toSeconds()))
        .map(RowSet::rowCount);
  }

  private static List<RoomEvent> events(RowSet<Row> rows) {
    List<RoomEvent> events = new ArrayList<>(rows.size());
    rows.forEach(row -> events.add(fromRow(row)));
    return events;
  }


  /** Per room: the last sequence number and how many messages from others the user has not read. */
  public record Stats(long lastSeq, long unread) {}

  public Future<Map<UUID, Stats>> stats(String user, List<UUID> rooms) {
    return pool.preparedQuery(
            "SELECT h.room_id, h.last_seq,"
                + " (SELECT count(*) FROM events e WHERE e.room_id = h.room_id AND e.seq > coalesce(p.seq, 0)"
                + "  AND e.kind = 'msg.sent' AND e.sender <> $1) AS unread"
                + " FROM room_heads h LEFT JOIN read_pointers p ON p.room_id = h.room_id AND p.username = $1"
                + " WHERE h.room_id = ANY($2)")
        .execute(Tuple.tuple().addString(user).addArrayOfUUID(rooms.toArray(UUID[]::new)))
        .map(rows -> {
          Map<UUID, Stats> stats = new HashMap<>();
          for (Row row : rows) {
            stats.put(row.getUUID("room_id"), new Stats(row.getLong("last_seq"), row.getLong("unread")));
          }
          return stats;
        });
  }

  static RoomEvent fromRow(Row row) {
    OffsetDateTime at = row.getOffsetDateTime("created_at");
    return new RoomEvent(
        row.getUUID("id"),
        row.getUUID("room_id"),
        row.getLong("seq"),
        RoomEventKind.fromWire(row.getString("kind")).orElseThrow(),
        row.getString("sender"),
        row.getUUID("sender_device"),
        at.toInstant(),
        (JsonObject) row.getValue("body"));
  }
}
