package io.parley.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed number of hostile connections, each opened and then brought into its hostile state by a
 * {@link Misbehaviour} (silent, announcing, dribbling, flooding). A connection the server closes is
 * opened again after {@code reconnectMs}, as a persistent attacker would, so the pressure lasts the
 * whole round; every end is counted in the round's tally.
 *
 * <p>Slot i lives on bench loop i: its connection, its timers and its counters' updates.
 */
final class HostileSlots implements Attack {

  /** What one connection does once it is connected. */
  interface Misbehaviour {
    /** On the connection's event loop: bring it into its hostile state; completes once there. */
    Future<Void> begin(RawConnection connection, long attempt);

    /** Figures of its own for the row. */
    default void report(JsonObject row, double seconds) {}
  }

  /** Reopening sooner than this would spin against a server that refuses at accept. */
  private static final long MIN_RECONNECT_MS = 10;

  private final Env env;
  private final SourceAddresses sources;
  private final Tally tally;
  private final String name;
  private final Misbehaviour misbehaviour;
  private final int concurrency;
  private final long reconnectMs;
  private final AtomicReferenceArray<RawConnection> slots;
  private final AtomicLong attempts;
  private volatile boolean running;

  /**
   * @param attempts shared by every attack of the round, so connections go round the source
   *     addresses together
   * @param reconnectMs delay before a slot whose connection the server closed opens another; negative: never
   */
  HostileSlots(Env env, SourceAddresses sources, Tally tally, AtomicLong attempts, String name, int count, Misbehaviour misbehaviour,
      int concurrency, long reconnectMs) {
    this.env = env;
    this.sources = sources;
    this.tally = tally;
    this.attempts = attempts;
    this.name = name;
    this.misbehaviour = misbehaviour;
    this.concurrency = concurrency;
    this.reconnectMs = reconnectMs < 0 ? -1 : Math.max(MIN_RECONNECT_MS, reconnectMs);
    this.slots = new AtomicReferenceArray<>(count);
  }

  @Override
  public void start() {
    running = true;
    // The first wave is opened with bounded concurrency (post-handshake kinds cost the server a
    // handshake each); reopened connections come one by one, on their own loops.
    Parallel.run(slots.length(), concurrency, slot -> env.loops().on(slot, () -> open(slot)));
  }

  private Future<Void> open(int slot) {
    if (!running) {
      return Future.succeededFuture();
    }
    long attempt = attempts.getAndIncrement();
    return RawConnection.open(sources.forConnection(attempt), env.target())
        .onFailure(failure -> {
          tally.connectFailed();
          reopenLater(slot);
        })
        .compose(connection -> {
          if (!running) {
            // Connected after stop() passed this slot (both run on this loop, so no later race).
            return connection.close();
          }
          slots.set(slot, connection);
          connection.ended().onSuccess(ending -> {
            tally.ended(ending);
            slots.compareAndSet(slot, connection, null);
            if (ending.byServer()) {
              reopenLater(slot);
            }
          });
          return misbehaviour.begin(connection, attempt).onSuccess(v -> tally.add(name + "_established"));
        })
        .recover(failure -> Future.succeededFuture());
  }

  private void reopenLater(int slot) {
    if (running && reconnectMs >= 0) {
      env.vertx().setTimer(reconnectMs, t -> open(slot));
    }
  }

  @Override
  public void report(JsonObject row, double seconds) {
    row.put(name + "_established", tally.get(name + "_established"));
    misbehaviour.report(row, seconds);
  }

  @Override
  public Future<Long> stop() {
    running = false;
    List<Future<Boolean>> closing = new ArrayList<>();
    for (int i = 0; i < slots.length(); i++) {
      int slot = i;
      closing.add(env.loops().on(slot, () -> {
        RawConnection connection = slots.get(slot);
        if (connection == null || !connection.isOpen()) {
          return Future.succeededFuture(false);
        }
        return connection.close().map(true).otherwise(true);
      }));
    }
    return Future.join(closing).map(all -> closing.stream().filter(f -> Boolean.TRUE.equals(f.result())).count());
  }
}
