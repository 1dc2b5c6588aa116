package io.parley.shared.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue 13: a killed replica made the gateway log 770 "Promise already completed" stack traces. */
class UnhandledExceptionsTest {
  Vertx vertx;
  UnhandledExceptions handler;
  ListAppender<ILoggingEvent> logged;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    handler = new UnhandledExceptions();
    vertx.exceptionHandler(handler);
    logged = new ListAppender<>();
    logged.start();
    ((Logger) LoggerFactory.getLogger(UnhandledExceptions.class)).addAppender(logged);
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(UnhandledExceptions.class)).detachAppender(logged);
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void a_storm_of_double_completions_is_counted_and_logged_once_without_a_stack_trace() throws Exception {
    for (int i = 0; i < 200; i++) {
      vertx.runOnContext(v -> {
        Promise<String> reply = Promise.promise();
        reply.complete("the reply");
        reply.fail("the timeout, a moment too late");
      });
    }

    waitFor(() -> handler.doubleCompletions() == 200);
    assertThat(logged.list).hasSize(1);
    assertThat(logged.list.get(0).getLevel()).isEqualTo(Level.WARN);
    assertThat(logged.list.get(0).getThrowableProxy()).isNull();
  }

  @Test
  void any_other_unhandled_exception_is_logged_with_its_stack_trace() throws Exception {
    vertx.runOnContext(v -> {
      throw new IllegalStateException("a bug of ours");
    });

    waitFor(() -> !logged.list.isEmpty());
    assertThat(logged.list.get(0).getLevel()).isEqualTo(Level.ERROR);
    assertThat(logged.list.get(0).getThrowableProxy().getMessage()).isEqualTo("a bug of ours");
    assertThat(handler.doubleCompletions()).isZero();
  }

  static void waitFor(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 1_000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
