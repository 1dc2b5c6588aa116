package io.parley.gateway.limits;

import java.util.function.LongSupplier;

/**
 * A packet budget: {@code ratePerSecond} sustained, {@code burst} at once. Not thread-safe: a
 * connection's bucket lives on its event loop; {@link SharedBudgets} locks the shared ones.
 */
public final class TokenBucket {
  private final double ratePerMs;
  private final double capacity;
  private final LongSupplier clockMs;
  private double tokens;
  private long lastRefillMs;

  public TokenBucket(int ratePerSecond, int burst, LongSupplier clockMs) {
    this.ratePerMs = ratePerSecond / 1000.0;
    this.capacity = burst;
    this.clockMs = clockMs;
    this.tokens = burst;
    this.lastRefillMs = clockMs.getAsLong();
  }

  public boolean tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until one packet fits the budget again (0 when it fits now). */
  public long retryAfterMs() {
    refill();
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / ratePerMs);
  }

  /** True when the bucket is full: it carries no memory of use and can be dropped. */
  boolean isFull() {
    refill();
    return tokens >= capacity;
  }

  private void refill() {
    long now = clockMs.getAsLong();
    if (now > lastRefillMs) {
      tokens = Math.min(capacity, tokens + (now - lastRefillMs) * ratePerMs);
      lastRefillMs = now;
    }
  }
}
