package io.parley.bench;

import java.util.Arrays;

/** Percentiles of recorded latencies (nanoseconds in, milliseconds out). Not thread-safe. */
final class Latencies {
  private long[] samples = new long[1024];
  private int size;

  void record(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  /** Adds every sample of {@code other}. */
  void addAll(Latencies other) {
    for (int i = 0; i < other.size; i++) {
      record(other.samples[i]);
    }
  }

  int count() {
    return size;
  }

  /** Percentile {@code p} in [0, 100], in milliseconds; 0 when nothing was recorded. */
  double percentileMs(double p) {
    if (size == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, index))] / 1_000_000.0;
  }
}
