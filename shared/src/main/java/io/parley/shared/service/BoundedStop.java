package io.parley.shared.service;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a stop, but not forever. Undeploying (drain at most {@code ServiceVerticle}'s 10 s) and
 * leaving the cluster (Hazelcast's migration wait, at most 5 s) are each bounded, yet a cluster that
 * is unhealthy can hold a bus unregistration or a leave on Hazelcast's own minute-long operation
 * timeouts; SIGTERM then took 30 s on every process (issue 13). The launcher gives the whole stop
 * {@link ServiceLauncher#STOP_DEADLINE_MS} and halts the JVM once it has passed.
 */
final class BoundedStop {
  private BoundedStop() {}

  /** True if {@code stop} finished (either way) within {@code deadlineMs}; false if it is still running. */
  static boolean within(Future<?> stop, long deadlineMs) throws InterruptedException {
    try {
      stop.toCompletionStage().toCompletableFuture().get(deadlineMs, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException failed) {
      return true;
    } catch (TimeoutException late) {
      return false;
    }
  }
}
