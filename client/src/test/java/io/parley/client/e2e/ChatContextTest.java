package io.parley.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The threading model of the chat: whatever thread asks, the work runs on the chat's one context. */
class ChatContextTest {
  final Vertx vertx = Vertx.vertx();
  final ChatContext chat = new ChatContext(vertx);

  @AfterEach
  void tearDown() throws Exception {
    ParleyChat.await(vertx.close(), 10_000);
  }

  <T> T await(Future<T> future) throws Exception {
    return ParleyChat.await(future, 10_000);
  }

  Future<Context> whereItRan() {
    return Future.succeededFuture(Vertx.currentContext());
  }

  @Test
  void calls_from_other_threads_run_on_the_one_context() throws Exception {
    Context first = await(chat.call(this::whereItRan));
    assertThat(first).isNotNull();
    List<Context> seen = Collections.synchronizedList(new ArrayList<>());
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread caller = new Thread(() -> chat.call(this::whereItRan).onSuccess(seen::add));
      callers.add(caller);
      caller.start();
    }
    for (Thread caller : callers) {
      caller.join(10_000);
    }
    await(chat.call(() -> Future.succeededFuture())); // after the callers' steps, which ran first
    assertThat(seen).hasSize(4).containsOnly(first);
    assertThat(chat.isCurrent()).isFalse();
  }

  @Test
  void a_step_that_throws_fails_its_future_instead_of_the_callers_thread() {
    Future<Object> failed = chat.call(() -> {
      throw new IllegalStateException("not connected: call connect() first");
    });
    assertThatThrownBy(() -> await(failed)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not connected");
  }

  @Test
  void a_blocking_write_runs_on_a_worker_and_reports_back_on_the_context() throws Exception {
    List<Boolean> onEventLoop = Collections.synchronizedList(new ArrayList<>());
    Boolean backOnContext = await(chat.call(() -> chat.blocking(() -> onEventLoop.add(Context.isOnEventLoopThread()))
        .map(v -> chat.isCurrent())));
    assertThat(onEventLoop).containsExactly(false);
    assertThat(backOnContext).isTrue();
  }

  @Test
  void a_delayed_action_runs_on_the_context() throws Exception {
    Promise<Boolean> ran = Promise.promise();
    chat.after(1, () -> ran.complete(chat.isCurrent())); // asked from the test's thread
    assertThat(await(ran.future())).isTrue();
  }
}
