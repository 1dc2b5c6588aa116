package io.parley.client;

import io.parley.shared.protocol.Envelope;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The requests of one connection still waiting for their reply, and what to do with them once the
 * server has said RATE_LIMITED: send them again one at a time, oldest first, no faster than the
 * budget admits, with new requests queued behind them until the queue is empty.
 *
 * <p>Why paced: a connection over its packet budget has packets dropped without a reply, and the
 * one id-less notice cannot say which (docs/protocol.md §7). Resending every unanswered request at
 * once, as the SDK first did, got one of them through per notice and the rest dropped again: with a
 * few hundred requests in flight the connection flooded the gateway with thousands of packets a
 * second, and the request unluckiest in the resend order waited past its timeout. Paced, each
 * resend has the packet the budget has just refilled.
 *
 * <p>The first interval is the notice's {@code retry_after_ms} (when one packet fits again). The
 * server does not say its rate, so another notice while pacing means the interval was too short: it
 * doubles (at most {@link #MAX_INTERVAL_MS}), and every unanswered request is queued again, since
 * any of those sent since the last notice may be the one dropped. Resending a request that was not
 * dropped is safe: the server treats a repeated id from the same device as the same request, and the
 * second reply finds nothing waiting.
 *
 * <p>Thread-safe: the connection is used from any thread; every method locks this object, and the
 * packets are handed to the sender outside the lock.
 */
final class ResendPacer {
  /** The slowest resend pace: one request a second still drains a queue, and a notice is rare then. */
  static final long MAX_INTERVAL_MS = 1_000;

  /** Schedules {@code task} after {@code delayMs} (a Vert.x timer; tests step it by hand). */
  interface Timer extends BiConsumer<Long, Runnable> {}

  private final Timer timer;
  private final Consumer<Envelope> sender;
  private final Map<String, Envelope> unanswered = new LinkedHashMap<>();
  private final ArrayDeque<String> queued = new ArrayDeque<>();
  private boolean pacing;
  private boolean tickScheduled;
  private long intervalMs;

  /** @param sender sends one packet; a failure stops the pacing (the connection is ending) */
  ResendPacer(Timer timer, Consumer<Envelope> sender) {
    this.timer = timer;
    this.sender = sender;
  }

  /**
   * Records a request as waiting for its reply. True: send it now. False: the connection is being
   * paced, and the request goes out in its turn.
   */
  synchronized boolean admit(String id, Envelope packet) {
    unanswered.put(id, packet);
    if (pacing) {
      queued.add(id);
      return false;
    }
    return true;
  }

  /** The request has its reply (or was given up on): it is never sent again. */
  synchronized void forget(String id) {
    unanswered.remove(id);
  }

  /** The server dropped packets of this connection; the budget admits one again in {@code retryAfterMs}. */
  void rateLimited(long retryAfterMs) {
    long delay;
    synchronized (this) {
      intervalMs = pacing ? Math.min(MAX_INTERVAL_MS, Math.max(retryAfterMs, 2 * intervalMs)) : Math.max(1, retryAfterMs);
      pacing = true;
      queued.clear();
      queued.addAll(unanswered.keySet());
      if (tickScheduled) {
        return;
      }
      tickScheduled = true;
      delay = Math.max(1, retryAfterMs);
    }
    timer.accept(delay, this::tick);
  }

  /** Whether requests are being paced (for tests). */
  synchronized boolean pacing() {
    return pacing;
  }

  synchronized long intervalMs() {
    return intervalMs;
  }

  synchronized void clear() {
    unanswered.clear();
    queued.clear();
    pacing = false;
  }

  private void tick() {
    Envelope next = null;
    long delay;
    synchronized (this) {
      tickScheduled = false;
      while (next == null && !queued.isEmpty()) {
        next = unanswered.get(queued.poll());
      }
      if (next == null) {
        pacing = false;
        return;
      }
      tickScheduled = true;
      delay = intervalMs;
    }
    try {
      sender.accept(next);
    } catch (RuntimeException e) {
      clear();
      return;
    }
    timer.accept(delay, this::tick);
  }
}
