package io.parley.shared.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/** Where a component registers its meters: the process registry /metrics serves. */
public final class Meters {
  private Meters() {}

  /** The registry of the running Vert.x; without one (unit tests without a runtime) a throwaway one. */
  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry == null ? new SimpleMeterRegistry() : registry;
  }
}
