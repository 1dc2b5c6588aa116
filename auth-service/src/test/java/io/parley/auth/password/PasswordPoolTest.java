package io.parley.auth.password;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordPoolTest {
  private static Vertx vertx;
  private final PasswordHasher hasher = new PasswordHasher(PasswordHasherTest.FAST, new SecureRandom());
  private PasswordPool pool;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @AfterEach
  void closePool() throws Exception {
    if (pool != null) {
      await(pool.close());
    }
  }

  @Test
  void hashesAndVerifiesOnThePool() throws Exception {
    pool = new PasswordPool(vertx, hasher, 2, 8);
    String phc = await(pool.hash("correct horse battery"));
    assertThat(await(pool.verify("correct horse battery", phc))).isTrue();
    assertThat(await(pool.verify("wrong horse battery", phc))).isFalse();
    assertThat(pool.inFlight()).isZero();
  }

  @Test
  void anUnknownUserIsCheckedAgainstTheDummyHashAndFails() throws Exception {
    pool = new PasswordPool(vertx, hasher, 1, 8);
    assertThat(await(pool.verify("any password", null))).isFalse();
    assertThat(await(pool.verify("", null))).isFalse();
  }

  @Test
  void theWorkRunsOnTheArgon2WorkerThreadsNotTheEventLoop() throws Exception {
    pool = new PasswordPool(vertx, hasher, 1, 8);
    CompletableFuture<String> seen = new CompletableFuture<>();
    // Submitted from an event loop, as a handler would.
    vertx.runOnContext(v -> {
      assertThat(Context.isOnEventLoopThread()).isTrue();
      pool.submit(() -> Context.isOnWorkerThread() + " " + Thread.currentThread().getName())
          .onComplete(ar -> seen.complete(ar.succeeded() ? ar.result() : ar.cause().toString()));
    });
    assertThat(seen.get(10, TimeUnit.SECONDS)).startsWith("true " + PasswordPool.EXECUTOR_NAME);
  }

  @Test
  void beyondMaxQueuedARequestFailsAtOnceWithRateLimited() throws Exception {
    pool = new PasswordPool(vertx, hasher, 1, 2);
    CountDownLatch release = new CountDownLatch(1);
    // Two held tasks: one running on the single thread, one waiting behind it.
    Future<Boolean> running = pool.submit(() -> release.await(10, TimeUnit.SECONDS));
    Future<Boolean> waiting = pool.submit(() -> release.await(10, TimeUnit.SECONDS));
    assertThat(pool.inFlight()).isEqualTo(2);

    Future<String> refused = pool.hash("one too many");
    assertThat(refused.failed()).as("failed without waiting").isTrue();
    assertThat(refused.cause()).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.code()).isEqualTo(StatusCode.RATE_LIMITED));
    assertThat(pool.verify("one too many", null).failed()).isTrue();

    release.countDown();
    assertThat(await(running)).isTrue();
    assertThat(await(waiting)).isTrue();
    // Capacity comes back once the work is done.
    assertThat(hasher.verify("fits again", await(pool.hash("fits again")))).isTrue();
    assertThat(pool.inFlight()).isZero();
  }

  @Test
  void aFailingTaskReleasesItsSlot() throws Exception {
    pool = new PasswordPool(vertx, hasher, 1, 1);
    Future<String> failed = pool.hash(null);
    try {
      await(failed);
    } catch (ExecutionException expected) {
      assertThat(expected.getCause()).isInstanceOf(NullPointerException.class);
    }
    assertThat(failed.failed()).isTrue();
    assertThat(pool.inFlight()).isZero();
    assertThat(await(pool.hash("next"))).startsWith("$argon2id$");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
