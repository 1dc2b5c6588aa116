package io.parley.shared.runtime;

import io.vertx.core.Handler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's handler for exceptions nothing else caught. One kind is a known Vert.x race, not a bug of
 * ours: a promise completed twice ("Promise already completed") when a reply, a connection or a
 * timeout land together — upstream eclipse-vertx/vert.x#6169 (the connection pool's cancel racing its
 * recycle, fixed by #6170/#6211 only in 5.1.3 and later; 5.0.8 does not carry it, and 5.1's stack in
 * our Maven mirror lacks the SQL clients). The second completion changes nothing — the first outcome
 * already went to its caller — but Vert.x logs each with a full stack trace: 770 of them when a
 * message-service replica was killed (issue 13). Here they are counted and summarised, one WARN with
 * the first frame at most every {@value #SUMMARY_EVERY_MS} ms; every other exception is logged as
 * Vert.x would, at ERROR with its stack trace.
 */
final class UnhandledExceptions implements Handler<Throwable> {
  private static final Logger log = LoggerFactory.getLogger(UnhandledExceptions.class);

  static final long SUMMARY_EVERY_MS = 60_000;

  private final AtomicLong doubleCompletions = new AtomicLong();
  private final AtomicLong lastSummaryNanos = new AtomicLong(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(SUMMARY_EVERY_MS));
  private final AtomicLong summarised = new AtomicLong();

  @Override
  public void handle(Throwable failure) {
    if (!isDoubleCompletion(failure)) {
      log.error("Unhandled exception", failure);
      return;
    }
    long total = doubleCompletions.incrementAndGet();
    long last = lastSummaryNanos.get();
    long now = System.nanoTime();
    if (now - last >= TimeUnit.MILLISECONDS.toNanos(SUMMARY_EVERY_MS) && lastSummaryNanos.compareAndSet(last, now)) {
      long since = total - summarised.getAndSet(total);
      StackTraceElement[] frames = failure.getStackTrace();
      log.warn("{} promise(s) completed twice by a known Vert.x race (eclipse-vertx/vert.x#6169), {} in all; harmless,"
          + " the first outcome stands. Latest from {}", since, total, frames.length > 1 ? frames[1] : "?");
    }
  }

  /** How many double completions were absorbed since start. */
  long doubleCompletions() {
    return doubleCompletions.get();
  }

  static boolean isDoubleCompletion(Throwable failure) {
    return failure instanceof IllegalStateException
        && failure.getMessage() != null
        && failure.getMessage().equals("Promise already completed");
  }
}
