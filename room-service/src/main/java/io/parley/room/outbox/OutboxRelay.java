package io.parley.room.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.room.outbox.OutboxStore.Pending;
import io.parley.room.outbox.OutboxStore.Progress;
import io.parley.room.outbox.OutboxStore.Relayed;
import io.parley.room.peers.Peers;
import io.parley.shared.infra.Dependencies;
import io.parley.shared.infra.Outages;
import io.parley.shared.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the room changes' events from the outbox to the rooms' logs in the message service, in
 * commit order per room, each exactly once (the message service appends an event id once, so a relay
 * retried after a lost reply duplicates nothing). Runs right after each commit (the fast path, which
 * the client's ROOM_OK waits for, as it waited for the append before the outbox) and from a periodic
 * sweep that picks up what a failed or dead relay left, with a growing back-off per room while the
 * message service is away. Across replicas one relay works a room at a time ({@link
 * OutboxStore#relayRoom}'s advisory lock); within this instance a room's runs go one after another.
 * Used from the room verticle's event loop only.
 */
public final class OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** Events of one room per transaction: bounds the time the room's relay lock and a connection are held. */
  static final int BATCH = 100;
  /** Batches one run may relay before it leaves the rest of the room to the next sweep. */
  static final int BATCHES_PER_RUN = 4;
  /** Rooms one sweep looks at; the rest wait for the next one. */
  static final int ROOMS_PER_SWEEP = 50;
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
  /** Back-off of a failed event: doubles per failed attempt from the first to the last value. */
  static final Duration BACKOFF_FIRST = Duration.ofMillis(500);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(30);
  /** How often the outbox's size and age are read for the gauges. */
  static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final OutboxStore store;
  private final Peers peers;
  private final Dependencies dependencies;
  /** The last run of each room this instance is relaying; a new run starts when it ends. */
  private final Map<UUID, Future<Void>> runs = new HashMap<>();
  private long timer = -1;
  private long backlogTimer = -1;
  private boolean sweeping;
  /** Gauges: events waiting in the outbox, and the age of the oldest (the same for every replica: one table). */
  private final AtomicLong backlogEvents = new AtomicLong();
  private final AtomicLong backlogOldestSeconds = new AtomicLong();

  public OutboxRelay(Vertx vertx, OutboxStore store, Peers peers) {
    this.vertx = vertx;
    this.store = store;
    this.peers = peers;
    this.dependencies = Dependencies.of(vertx);
    MeterRegistry registry = Meters.registry();
    registry.gauge("parley_outbox_events", backlogEvents);
    registry.gauge("parley_outbox_oldest_seconds", backlogOldestSeconds);
  }

  /** Starts the periodic sweep on the caller's context. */
  public void start() {
    timer = vertx.setPeriodic(SWEEP_INTERVAL.toMillis(), tick -> sweep());
    backlogTimer = vertx.setPeriodic(0, BACKLOG_INTERVAL.toMillis(), tick -> readBacklog());
  }

  public void stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(backlogTimer);
  }

  /** Refreshes the gauges; a failed read keeps the last values (the database outage is reported elsewhere). */
  Future<OutboxStore.Backlog> readBacklog() {
    return store.backlog().onSuccess(backlog -> {
      backlogEvents.set(backlog.events());
      backlogOldestSeconds.set(backlog.oldestSeconds());
    });
  }

  /**
   * The fast path, after a room change committed: announces the change and relays the room's pending
   * events (this change's among them, after any older ones). Never fails: what could not be appended
   * stays in the outbox for the sweep.
   */
  public Future<Void> afterCommit(UUID room) {
    peers.membershipChanged(room);
    return runOnce(room).mapEmpty();
  }

  /** One pass over the rooms with due events; stops at the first failure (the message service is likely away). */
  Future<Void> sweep() {
    if (sweeping) {
      return Future.succeededFuture();
    }
    sweeping = true;
    return store.dueRooms(ROOMS_PER_SWEEP)
        .compose(rooms -> {
          Future<Boolean> chain = Future.succeededFuture(true);
          for (UUID room : rooms) {
            chain = chain.compose(healthy -> {
              if (!healthy) {
                return Future.succeededFuture(false);
              }
              // The committing replica may have died before it announced the change.
              peers.membershipChanged(room);
              return runOnce(room).map(failure -> failure == null);
            });
          }
          return chain.<Void>mapEmpty();
        })
        .onFailure(failure -> failed("outbox sweep failed", failure))
        .onComplete(done -> sweeping = false)
        .recover(failure -> Future.succeededFuture());
  }

  /** Queues a run of {@code room} after this instance's previous one; completes with the failure that stopped it, or null. */
  private Future<Throwable> runOnce(UUID room) {
    Future<Void> previous = runs.getOrDefault(room, Future.succeededFuture());
    Future<Throwable> mine = previous.transform(done -> relay(room, BATCHES_PER_RUN));
    Future<Void> tail = mine.mapEmpty();
    runs.put(room, tail);
    tail.onComplete(done -> runs.remove(room, tail));
    return mine;
  }

  private Future<Throwable> relay(UUID room, int batchesLeft) {
    return store.relayRoom(room, BATCH, this::appendInOrder, OutboxRelay::backoff)
        .compose(relayed -> relayed.more() && batchesLeft > 1
            ? relay(room, batchesLeft - 1)
            : Future.succeededFuture(relayed.failure()))
        .recover(failure -> {
          // The room schema itself failed (outage, connection lost): nothing was deleted, the sweep retries.
          failed("room " + room + ": outbox relay failed", failure);
          return Future.succeededFuture(failure);
        });
  }

  /** Appends the events one after another, stopping at the first that fails. */
  private Future<Progress> appendInOrder(List<Pending> pending) {
    return appendFrom(pending, 0);
  }

  private Future<Progress> appendFrom(List<Pending> pending, int index) {
    if (index == pending.size()) {
      return Future.succeededFuture(new Progress(index, null));
    }
    Pending next = pending.get(index);
    return peers.appendRoomEvent(next.event()).transform(appended -> {
      if (appended.succeeded()) {
        return appendFrom(pending, index + 1);
      }
      log.warn("room {}: event {} ({}) not yet in the log, attempt {}: {}; kept in the outbox",
          next.event().room(), next.event().id(), next.event().kind().wire(), next.attempts() + 1,
          appended.cause().getMessage());
      return Future.succeededFuture(new Progress(index, appended.cause()));
    });
  }

  /**
   * A failure of the room schema's own database: an outage is reported to {@link Dependencies}, which
   * logs it once at WARN and its end once at INFO with its length, as for requests; the sweep retries
   * every second meanwhile, and a WARN per sweep would say the same thing sixty times a minute. Any
   * other failure is a bug worth a WARN each time.
   */
  private void failed(String what, Throwable failure) {
    if (Outages.isOutage(failure)) {
      dependencies.probeAll();
      log.debug("{} during an outage: {}", what, failure.getMessage());
    } else {
      log.warn("{}: {}", what, failure.getMessage());
    }
  }

  static Duration backoff(int failedAttempts) {
    long millis = BACKOFF_FIRST.toMillis() << Math.min(failedAttempts, 16);
    return Duration.ofMillis(Math.min(millis, BACKOFF_MAX.toMillis()));
  }
}
