package io.parley.gateway;

import java.util.function.LongSupplier;

/** Per-connection packet budget: {@code ratePerSecond} sustained, {@code burst} at once. Not thread-safe. */
final class TokenBucket {
  private final double ratePerMs;
  private final double capacity;
  private final LongSupplier clockMs;
  private double tokens;
  private long lastRefillMs;

  TokenBucket(int ratePerSecond, int burst, LongSupplier clockMs) {
    this.ratePerMs = ratePerSecond / 1000.0;
    this.capacity = burst;
    this.clockMs = clockMs;
    this.tokens = burst;
    this.lastRefillMs = clockMs.getAsLong();
  }

  boolean tryTake() {
    long now = clockMs.getAsLong();
    tokens = Math.min(capacity, tokens + (now - lastRefillMs) * ratePerMs);
    lastRefillMs = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
