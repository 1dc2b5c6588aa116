package io.parley.shared.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Set;

/**
 * Gives latency timers Prometheus buckets, so percentiles and SLO ratios can be computed across
 * replicas ({@code histogram_quantile}); a timer alone exports only count, sum and max. Fixed
 * boundaries from 1 ms to 10 s (a bus request times out at 10 s by default) rather than Micrometer's
 * ~70 automatic ones: 14 series per timer and tag value, about 400 for the gateway's per-type timer.
 */
public final class HistogramBuckets implements MeterFilter {
  static final Duration[] LATENCY = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  /** Vert.x's own timers worth the buckets: a query's and a Redis command's time. */
  private static final Set<String> VERTX_LATENCIES = Set.of("vertx.sql.processing.time", "vertx.redis.processing.time");

  @Override
  public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    boolean latency = id.getType() == Meter.Type.TIMER
        && (id.getName().startsWith("parley") || VERTX_LATENCIES.contains(id.getName()));
    if (!latency) {
      return config;
    }
    double[] nanos = new double[LATENCY.length];
    for (int i = 0; i < LATENCY.length; i++) {
      nanos[i] = LATENCY[i].toNanos();
    }
    return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
  }
}
