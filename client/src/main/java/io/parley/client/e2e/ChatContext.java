package io.parley.client.e2e;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The one Vert.x context a {@link ParleyChat} runs on. Every piece of the chat's state (cursors, the
 * room chains, the pending state writes, the connection) is read and written only from this context,
 * so no part needs a lock: a caller on another thread (the CLI, a test) is moved onto it by
 * {@link #call}, and the connection opened from it delivers its replies and pushes here too.
 */
final class ChatContext {
  /** A file write that runs on a worker thread. */
  interface IoAction {
    void run() throws IOException;
  }

  private final Vertx vertx;
  private final Context context;

  /**
   * Takes the caller's context when it is on one (an app already inside Vert.x), else a new
   * event-loop context of {@code vertx}.
   */
  ChatContext(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  Vertx vertx() {
    return vertx;
  }

  boolean isCurrent() {
    return Vertx.currentContext() == context;
  }

  /**
   * Runs {@code step} on the context and completes with its outcome; directly when already there. A
   * step that throws fails the future instead of escaping to the caller's thread.
   */
  <T> Future<T> call(Supplier<Future<T>> step) {
    if (isCurrent()) {
      return guarded(step);
    }
    Promise<T> outcome = Promise.promise();
    context.runOnContext(ignored -> guarded(step).onComplete(outcome));
    return outcome.future();
  }

  /** Runs {@code action} on the context; directly when already there. */
  void run(Runnable action) {
    if (isCurrent()) {
      action.run();
    } else {
      context.runOnContext(ignored -> action.run());
    }
  }

  /** Runs {@code action} on the context after {@code delayMs}. */
  void after(long delayMs, Runnable action) {
    vertx.setTimer(delayMs, id -> run(action));
  }

  /** A blocking write on a worker thread; its future completes back on the context. */
  Future<Void> blocking(IoAction action) {
    return context.executeBlocking(() -> {
      action.run();
      return null;
    }, false);
  }

  private static <T> Future<T> guarded(Supplier<Future<T>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
