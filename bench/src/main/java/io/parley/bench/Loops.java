package io.parley.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A handful of event-loop contexts of one Vert.x instance. Each simulated client lives on one of
 * them (its socket, its timers, its push handlers), so per-loop state needs no locks.
 */
final class Loops {
  private final List<Context> contexts;

  private Loops(List<Context> contexts) {
    this.contexts = List.copyOf(contexts);
  }

  /** {@code count} distinct event-loop contexts (blocking; call from the main thread). */
  static Loops start(Vertx vertx, int count) throws Exception {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx
        .deployVerticle(
            () -> new VerticleBase() {
              @Override
              public Future<?> start() {
                contexts.add(context);
                return Future.succeededFuture();
              }
            },
            new DeploymentOptions().setInstances(count))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    return new Loops(contexts);
  }

  int size() {
    return contexts.size();
  }

  Context context(int index) {
    return contexts.get(Math.floorMod(index, contexts.size()));
  }

  /** Runs {@code work} on loop {@code index} and hands back its future (completing on any thread). */
  <T> Future<T> on(int index, Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    context(index).runOnContext(v -> {
      try {
        work.get().onComplete(result);
      } catch (RuntimeException e) {
        result.fail(e);
      }
    });
    return result.future();
  }

  static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }
}
