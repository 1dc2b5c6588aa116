package io.parley.shared.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/** Counts a verticle's requests in flight, so a graceful stop can wait for them. Event-loop only. */
final class InFlight {
  private int count;
  private Promise<Void> idle;

  <T> Future<T> track(Supplier<Future<T>> work) {
    count++;
    Future<T> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.onComplete(done -> {
      count--;
      if (count == 0 && idle != null) {
        idle.tryComplete();
      }
    });
  }

  int count() {
    return count;
  }

  /** Completes when nothing is in flight. */
  Future<Void> idle() {
    if (count == 0) {
      return Future.succeededFuture();
    }
    if (idle == null) {
      idle = Promise.promise();
    }
    return idle.future();
  }
}
