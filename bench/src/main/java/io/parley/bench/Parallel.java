package io.parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Runs {@code count} asynchronous tasks with at most {@code concurrency} in flight. */
final class Parallel {
  private Parallel() {}

  /** What came back: results in task order (null where a task failed), and the first failure. */
  record Outcome<T>(List<T> results, int failed, Throwable firstFailure) {}

  static <T> Future<Outcome<T>> run(int count, int concurrency, IntFunction<Future<T>> task) {
    List<T> results = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(count, null)));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    Throwable[] first = new Throwable[1];
    Promise<Outcome<T>> done = Promise.promise();
    if (count == 0) {
      return Future.succeededFuture(new Outcome<>(List.of(), 0, null));
    }
    int workers = Math.max(1, Math.min(concurrency, count));
    running.set(workers);
    for (int w = 0; w < workers; w++) {
      step(next, count, task, results, failed, first, running, done);
    }
    return done.future();
  }

  private static <T> void step(
      AtomicInteger next, int count, IntFunction<Future<T>> task, List<T> results, AtomicInteger failed,
      Throwable[] first, AtomicInteger running, Promise<Outcome<T>> done) {
    int index = next.getAndIncrement();
    if (index >= count) {
      if (running.decrementAndGet() == 0) {
        done.tryComplete(new Outcome<>(new ArrayList<>(results), failed.get(), first[0]));
      }
      return;
    }
    Future<T> future;
    try {
      future = task.apply(index);
    } catch (RuntimeException e) {
      future = Future.failedFuture(e);
    }
    future.onComplete(outcome -> {
      if (outcome.succeeded()) {
        results.set(index, outcome.result());
      } else {
        failed.incrementAndGet();
        synchronized (first) {
          if (first[0] == null) {
            first[0] = outcome.cause();
          }
        }
      }
      step(next, count, task, results, failed, first, running, done);
    });
  }
}
