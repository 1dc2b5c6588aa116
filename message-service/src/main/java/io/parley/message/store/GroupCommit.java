package io.parley.message.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.UuidV7;
import io.parley.shared.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for client events: appends that arrive while a batch is being written wait and go
 * together in the next one — one statement, one transaction, one WAL flush for up to
 * {@link #MAX_BATCH} events of different rooms. With no load a batch is a single event and nothing
 * waits; under load batches grow by themselves. Every event is still acknowledged only after the
 * commit that holds it.
 *
 * <p>A batch never holds two events of one room (their order is the room sequencer's business) nor two
 * requests with the same (user, device, request id) (the record decides which one is fresh); such an event
 * waits for the next batch. Rows are locked in room order, so two replicas' batches cannot deadlock.
 * Used from the message-service verticle's event loop only.
 */
final class GroupCommit {
  static final int MAX_BATCH = 256;

  private static final String APPEND_BATCH =
      "WITH input AS ("
          + " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[],"
          + "  $7::timestamptz[], $8::uuid[], $9::text[])"
          + "  AS t(room_id, id, kind, sender, sender_device, body, created_at, target, request_id)),"
          + " request AS ("
          + " INSERT INTO requests (username, device_id, request_id, result)"
          + " SELECT sender, sender_device, request_id, jsonb_build_object('event', id::text) FROM input WHERE request_id IS NOT NULL"
          + " ON CONFLICT (username, device_id, request_id) DO NOTHING RETURNING username, device_id, request_id),"
          + " fresh AS ("
          + " SELECT i.* FROM input i WHERE i.request_id IS NULL"
          + " OR EXISTS (SELECT 1 FROM request r"
          + "  WHERE r.username = i.sender AND r.device_id = i.sender_device AND r.request_id = i.request_id)),"
          + " head AS ("
          + " INSERT INTO room_heads (room_id, last_seq) SELECT room_id, 1 FROM fresh ORDER BY room_id"
          + " ON CONFLICT (room_id) DO UPDATE SET last_seq = room_heads.last_seq + 1"
          + " RETURNING room_id, last_seq)"
          + " INSERT INTO events (room_id, seq, id, kind, sender, sender_device, body, created_at, target)"
          + " SELECT f.room_id, h.last_seq, f.id, f.kind, f.sender, f.sender_device, f.body, f.created_at, f.target"
          + " FROM fresh f JOIN head h ON h.room_id = f.room_id"
          + " RETURNING id, seq";

  private record RequestKey(String user, UUID device, String requestId) {}

  /** An event waiting for its batch; {@code seq} completes when the batch that holds it commits. */
  record Pending(EventStore.Draft draft, String requestId, UUID id, Instant at, long queuedNanos, Promise<Long> seq) {}

  /**
   * Writes one batch in one transaction; answers each fresh event's seq by its id. An event absent
   * from the answer was a request already recorded.
   */
  interface BatchWriter {
    Future<Map<UUID, Long>> write(List<Pending> batch);
  }

  private final BatchWriter writer;
  /** Append asked → committed, waiting for the batch included: the "send → commit" part of a message's way. */
  private final Timer commitTime;
  private final DistributionSummary batchSizes;
  private List<Pending> waiting = new ArrayList<>();
  private boolean writing;
  private long batchesWritten;

  GroupCommit(Pool pool) {
    this(batch -> write(pool, batch));
  }

  /** @param writer writes the batches (tests pass one whose answers they hold) */
  GroupCommit(BatchWriter writer) {
    this.writer = writer;
    commitTime = Timer.builder("parley.message.commit")
        .description("From an event's append request to its commit, the wait for a group-commit batch included")
        .register(Meters.registry());
    batchSizes = DistributionSummary.builder("parley.group.commit.batch")
        .baseUnit("events")
        .description("Events written by one group-commit transaction")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, MAX_BATCH)
        .register(Meters.registry());
  }

  /**
   * Appends the event with the next batch. Completes with the event, or with an empty seq (null) when
   * its (user, device, request id) was already recorded — the caller then reads the first result.
   */
  Future<RoomEvent> append(EventStore.Draft draft, String requestId) {
    Pending pending =
        new Pending(draft, requestId, UuidV7.next(), Instant.now().truncatedTo(ChronoUnit.MILLIS), System.nanoTime(), Promise.promise());
    waiting.add(pending);
    if (!writing) {
      writeNext();
    }
    return pending.seq().future().map(seq -> seq == null
        ? null
        : new RoomEvent(pending.id(), draft.room(), seq, draft.kind(), draft.sender(), draft.senderDevice(), pending.at(), draft.data()));
  }

  private void writeNext() {
    if (waiting.isEmpty()) {
      writing = false;
      return;
    }
    writing = true;
    List<Pending> batch = new ArrayList<>();
    List<Pending> later = new ArrayList<>();
    Set<UUID> rooms = new HashSet<>();
    Set<RequestKey> requests = new HashSet<>();
    for (Pending pending : waiting) {
      RequestKey request = pending.requestId() == null
          ? null
          : new RequestKey(pending.draft().sender(), pending.draft().senderDevice(), pending.requestId());
      boolean fits = batch.size() < MAX_BATCH
          && !rooms.contains(pending.draft().room())
          && (request == null || !requests.contains(request));
      if (fits) {
        batch.add(pending);
        rooms.add(pending.draft().room());
        if (request != null) {
          requests.add(request);
        }
      } else {
        later.add(pending);
      }
    }
    waiting = later;
    batchesWritten++;
    batchSizes.record(batch.size());
    writer.write(batch).onComplete(done -> {
      if (done.succeeded()) {
        long committed = System.nanoTime();
        batch.forEach(pending -> commitTime.record(committed - pending.queuedNanos(), TimeUnit.NANOSECONDS));
        Map<UUID, Long> seqs = done.result();
        batch.forEach(pending -> pending.seq().complete(seqs.get(pending.id())));
      } else {
        batch.forEach(pending -> pending.seq().fail(done.cause()));
      }
      writeNext();
    });
  }

  /** Batches written so far: fewer than events appended once load makes them group. */
  long batchesWritten() {
    return batchesWritten;
  }

  private static Future<Map<UUID, Long>> write(Pool pool, List<Pending> batch) {
    int n = batch.size();
    UUID[] rooms = new UUID[n];
    UUID[] ids = new UUID[n];
    String[] kinds = new String[n];
    String[] senders = new String[n];
    UUID[] devices = new UUID[n];
    JsonObject[] bodies = new JsonObject[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    UUID[] targets = new UUID[n];
    String[] requestIds = new String[n];
    for (int i = 0; i < n; i++) {
      Pending pending = batch.get(i);
      EventStore.Draft draft = pending.draft();
      rooms[i] = draft.room();
      ids[i] = pending.id();
      kinds[i] = draft.kind().wire();
      senders[i] = draft.sender();
      devices[i] = draft.senderDevice();
      bodies[i] = draft.data();
      times[i] = pending.at().atOffset(ZoneOffset.UTC);
      targets[i] = draft.target();
      requestIds[i] = pending.requestId();
    }
    Tuple arguments = Tuple.tuple()
        .addArrayOfUUID(rooms)
        .addArrayOfUUID(ids)
        .addArrayOfString(kinds)
        .addArrayOfString(senders)
        .addArrayOfUUID(devices)
        .addArrayOfJsonObject(bodies)
        .addArrayOfOffsetDateTime(times)
        .addArrayOfUUID(targets)
        .addArrayOfString(requestIds);
    return pool.preparedQuery(APPEND_BATCH).execute(arguments).map(rows -> {
      Map<UUID, Long> seqs = new HashMap<>();
      for (Row row : rows) {
        seqs.put(row.getUUID("id"), row.getLong("seq"));
      }
      return seqs;
    });
  }
}
