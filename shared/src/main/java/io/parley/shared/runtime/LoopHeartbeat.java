package io.parley.shared.runtime;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Liveness means "not wedged": every event loop of the process still runs its scheduled tasks. Each
 * loop stamps a beat every {@value #BEAT_MS} ms; a loop whose last beat is older than
 * {@value #WEDGED_AFTER_MS} ms is stuck (an endless loop, a deadlock, a blocking call that never
 * returns), and only a restart helps. A busy loop still beats — Netty runs scheduled tasks between
 * batches of I/O — so load alone never fails liveness; that is readiness's business, and restarting an
 * overloaded process would only move its load elsewhere.
 */
final class LoopHeartbeat {
  static final long BEAT_MS = 1_000;
  /** Far beyond any legitimate pause of a loop (Vert.x warns about a blocked loop after 2 s). */
  static final long WEDGED_AFTER_MS = 10_000;

  private final AtomicLongArray beats;

  private LoopHeartbeat(int loops) {
    beats = new AtomicLongArray(loops);
  }

  static LoopHeartbeat start(Vertx vertx) {
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) vertx).nettyEventLoopGroup().forEach(loops::add);
    LoopHeartbeat heartbeat = new LoopHeartbeat(loops.size());
    long now = System.nanoTime();
    for (int i = 0; i < loops.size(); i++) {
      int loop = i;
      heartbeat.beats.set(loop, now);
      // Ends with the loop itself when Vert.x closes.
      loops.get(i).scheduleAtFixedRate(() -> heartbeat.beats.set(loop, System.nanoTime()), BEAT_MS, BEAT_MS, TimeUnit.MILLISECONDS);
    }
    return heartbeat;
  }

  /** Empty while every loop beats; otherwise which loop is stuck and for how long. */
  Optional<String> wedged() {
    long now = System.nanoTime();
    for (int i = 0; i < beats.length(); i++) {
      long silentMs = TimeUnit.NANOSECONDS.toMillis(now - beats.get(i));
      if (silentMs > WEDGED_AFTER_MS) {
        return Optional.of("event loop " + i + " has not run for " + silentMs + " ms");
      }
    }
    return Optional.empty();
  }
}
