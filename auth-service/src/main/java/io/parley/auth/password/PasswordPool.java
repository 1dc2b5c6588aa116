package io.parley.auth.password;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.shared.metrics.Meters;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded worker pool for password hashing: Argon2 never runs on an event loop, and a login or
 * signup flood cannot queue unbounded work (each queued hash also holds its memory cost once it runs).
 * Beyond {@code maxQueued} hashes waiting or running, a request fails at once with RATE_LIMITED, so
 * the client hears "retry later" in microseconds instead of timing out behind a queue.
 *
 * <p>Capacity is roughly {@code threads / hash time}: with the default parameters (~90 ms a hash) and
 * 2 threads, about 22 hashes a second per auth-service replica.
 *
 * <p>Every finished hash and verification is counted ({@code parley_password_work_total}, tag
 * {@code kind} = hash / verify): the load figure an operator sizes replicas by, and the evidence that
 * two request paths meant to cost the same (unknown vs known user, taken vs free signup) run the same
 * Argon2 work.
 */
public final class PasswordPool {
  public static final String EXECUTOR_NAME = "parley-argon2";

  private final PasswordHasher hasher;
  private final WorkerExecutor executor;
  private final int maxQueued;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Counter hashes;
  private final Counter verifications;

  /**
   * A Vert.x WorkerExecutor named "parley-argon2" with {@code threads} threads; at most
   * {@code maxQueued} hashes waiting or running; beyond that the future fails at once with
   * StatusException(StatusCode.RATE_LIMITED, ...).
   */
  public PasswordPool(Vertx vertx, PasswordHasher hasher, int threads, int maxQueued) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be at least 1, got " + maxQueued);
    }
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.maxQueued = maxQueued;
    // Argon2 is meant to take tens of milliseconds, far below the blocked-thread warning (60 s).
    this.executor = vertx.createSharedWorkerExecutor(EXECUTOR_NAME, threads);
    MeterRegistry registry = Meters.registry();
    this.hashes = Counter.builder("parley_password_work").tag("kind", "hash").register(registry);
    this.verifications = Counter.builder("parley_password_work").tag("kind", "verify").register(registry);
  }

  public Future<String> hash(String password) {
    return counted(hashes, submit(() -> hasher.hash(password)));
  }

  /** True when the stored hash was made with other parameters than today's (cheap: parses the string). */
  public boolean needsRehash(String phc) {
    return hasher.needsRehash(phc);
  }

  /** {@code null} for an unknown user: verifies against {@link PasswordHasher#dummyHash()}, result false. */
  public Future<Boolean> verify(String password, String phcOrNullForUnknownUser) {
    if (phcOrNullForUnknownUser == null) {
      String dummy = hasher.dummyHash();
      return counted(verifications, submit(() -> {
        hasher.verify(password, dummy); // the same work as a real check...
        return false;                   // ...and the same answer as a wrong password
      }));
    }
    return counted(verifications, submit(() -> hasher.verify(password, phcOrNullForUnknownUser)));
  }

  private static <T> Future<T> counted(Counter counter, Future<T> work) {
    return work.andThen(done -> {
      if (done.succeeded()) {
        counter.increment();
      }
    });
  }

  /** Hashes waiting or running now. */
  public int inFlight() {
    return inFlight.get();
  }

  public Future<Void> close() {
    return executor.close();
  }

  /** Runs {@code work} on the pool if there is room; package-private so tests can hold the pool busy. */
  <T> Future<T> submit(Callable<T> work) {
    int current;
    do {
      current = inFlight.get();
      if (current >= maxQueued) {
        return Future.failedFuture(new StatusException(StatusCode.RATE_LIMITED,
            "too many password checks in progress; retry in a few seconds"));
      }
    } while (!inFlight.compareAndSet(current, current + 1));
    Future<T> result;
    try {
      // Unordered: ordered execution would serialize every hash submitted from one context.
      result = executor.executeBlocking(work, false);
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      return Future.failedFuture(e);
    }
    return result.andThen(done -> inFlight.decrementAndGet());
  }
}
