package io.parley.gateway.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every refusal visible without letting an attacker flood the log: a counter per reason
 * ({@code parley_refusals_total{reason}}) counts each one, and one WARN line per reason at most every
 * {@link #LOG_INTERVAL_MS} names the latest client address and how many were suppressed since. The
 * offending bytes are never logged. Thread-safe: shared by the gateway's event loops.
 */
public final class Refusals {
  private static final Logger log = LoggerFactory.getLogger(Refusals.class);

  /** One line per reason per 10 s keeps a 100,000-per-second flood to a few lines a minute. */
  static final long LOG_INTERVAL_MS = 10_000;

  private final Map<Refusal, Counter> counters = new EnumMap<>(Refusal.class);
  private final Map<Refusal, AtomicLong> lastLogged = new EnumMap<>(Refusal.class);
  private final Map<Refusal, AtomicLong> suppressed = new EnumMap<>(Refusal.class);
  private final LongSupplier clockMs;

  public Refusals(MeterRegistry registry, LongSupplier clockMs) {
    this.clockMs = clockMs;
    for (Refusal refusal : Refusal.values()) {
      counters.put(refusal, Counter.builder("parley_refusals").tag("reason", refusal.tag()).register(registry));
      lastLogged.put(refusal, new AtomicLong(Long.MIN_VALUE / 2));
      suppressed.put(refusal, new AtomicLong());
    }
  }

  /** Counts one refusal of {@code address} and logs it unless a line for this reason went out lately. */
  public void record(Refusal refusal, String address) {
    counters.get(refusal).increment();
    long now = clockMs.getAsLong();
    AtomicLong last = lastLogged.get(refusal);
    long previous = last.get();
    if (now - previous >= LOG_INTERVAL_MS && last.compareAndSet(previous, now)) {
      long others = suppressed.get(refusal).getAndSet(0);
      log.warn("refused {} ({}): {}{}", address, refusal.tag(), refusal.desc(),
          others == 0 ? "" : "; " + others + " more since the last line for this reason");
    } else {
      suppressed.get(refusal).incrementAndGet();
    }
  }

  public double count(Refusal refusal) {
    return counters.get(refusal).count();
  }
}
