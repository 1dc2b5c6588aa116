package io.parley.shared.infra;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this process knows about its dependencies ({@value #POSTGRES}, {@value #REDIS}): up or down,
 * since when. One instance per Vert.x instance, shared by every service in it ({@link #of}).
 *
 * <p>A probe per dependency (the service's {@code SELECT 1} or {@code PING}) runs every
 * {@value #PROBE_INTERVAL_MS} ms, and at once when a request failed with an {@link Outages outage};
 * its outcome is the state. So an outage is logged once, at WARN, when it is first seen, and its end
 * once, at INFO, with its duration — never a stack trace per failed request — and both
 * {@code /health/ready} and the {@code parley_dependency_up{name}} gauge show it.
 */
public final class Dependencies implements Shareable {
  private static final Logger log = LoggerFactory.getLogger(Dependencies.class);

  public static final String POSTGRES = "postgres";
  public static final String REDIS = "redis";

  /** Often enough that recovery shows within a second; a SELECT 1 and a PING cost microseconds. */
  static final long PROBE_INTERVAL_MS = 1_000;
  /** A probe that takes longer counts as a failure: a server that does not answer is down. */
  static final long PROBE_TIMEOUT_MS = 2_000;

  private static final String SHARED_MAP = "parley.dependencies";

  private final Vertx vertx;
  private final Map<String, Dependency> dependencies = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final AtomicBoolean timerStarted = new AtomicBoolean();

  private Dependencies(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The instance of {@code vertx}; created on first use, gone with it. */
  public static Dependencies of(Vertx vertx) {
    return vertx.sharedData().<String, Dependencies>getLocalMap(SHARED_MAP)
        .computeIfAbsent("instance", key -> new Dependencies(vertx));
  }

  /**
   * Probes {@code name} with {@code probe} from now on, until the returned handle is run. Several
   * services may watch the same dependency; the first still watching probes it.
   */
  public Runnable watch(String name, Supplier<Future<Void>> probe) {
    Dependency dependency = dependency(name);
    dependency.probes.add(probe);
    if (timerStarted.compareAndSet(false, true)) {
      // On a context of its own: one made by a verticle would lose the timer when it is undeployed.
      ((VertxInternal) vertx).createEventLoopContext().runOnContext(v -> vertx.setPeriodic(PROBE_INTERVAL_MS, id -> probeAll()));
    }
    return () -> dependency.probes.remove(probe);
  }

  /** Probes every watched dependency now (a request just failed as if one were down). */
  public void probeAll() {
    dependencies.values().forEach(Dependency::probe);
  }

  /** Records the outcome of a check made elsewhere (a readiness ping). */
  public void report(String name, Throwable failure) {
    dependency(name).report(failure);
  }

  public boolean isUp(String name) {
    Dependency dependency = dependencies.get(name);
    return dependency == null || dependency.up;
  }

  /** {@code {"postgres": "up", "redis": "down"}}: every dependency this process has met. */
  public JsonObject states() {
    JsonObject states = new JsonObject();
    dependencies.values().stream().sorted((a, b) -> a.name.compareTo(b.name))
        .forEach(d -> states.put(d.name, d.up ? "up" : "down"));
    return states;
  }

  /** Publishes {@code parley_dependency_up{name}} (1 up, 0 down) for every dependency, present and future. */
  public void bindTo(MeterRegistry registry) {
    if (registries.addIfAbsent(registry)) {
      dependencies.values().forEach(d -> d.gauge(registry));
    }
  }

  private Dependency dependency(String name) {
    return dependencies.computeIfAbsent(name, n -> {
      Dependency created = new Dependency(n);
      registries.forEach(created::gauge);
      return created;
    });
  }

  private final class Dependency {
    final String name;
    final CopyOnWriteArrayList<Supplier<Future<Void>>> probes = new CopyOnWriteArrayList<>();
    final AtomicBoolean probing = new AtomicBoolean();
    volatile boolean up = true;
    private long downSinceNanos;

    Dependency(String name) {
      this.name = name;
    }

    void gauge(MeterRegistry registry) {
      Gauge.builder("parley.dependency.up", this, d -> d.up ? 1 : 0)
          .description("1 while the dependency answers, 0 during an outage")
          .tag("name", name)
          .register(registry);
    }

    void probe() {
      Supplier<Future<Void>> probe = probes.isEmpty() ? null : probes.get(0);
      if (probe == null || !probing.compareAndSet(false, true)) {
        return;
      }
      Future<Void> outcome;
      try {
        outcome = probe.get().timeout(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(done -> {
        probing.set(false);
        report(done.failed() ? done.cause() : null);
      });
    }

    synchronized void report(Throwable failure) {
      if (failure != null && up) {
        up = false;
        downSinceNanos = System.nanoTime();
        log.warn("{} unreachable ({}): requests that need it answer UNAVAILABLE until it is back",
            name, describe(failure));
      } else if (failure == null && !up) {
        up = true;
        Duration outage = Duration.ofNanos(System.nanoTime() - downSinceNanos);
        log.info("{} reachable again after an outage of {} ms", name, outage.toMillis());
      }
    }
  }

  /** The innermost message: which address refused, which SQLSTATE; never a URL (it may hold a password). */
  private static String describe(Throwable failure) {
    Throwable root = failure;
    for (int i = 0; i < 16 && root.getCause() != null && root.getCause() != root; i++) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}
