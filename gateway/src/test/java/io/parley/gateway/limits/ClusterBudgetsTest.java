package io.parley.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.infra.ParleyInfra;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways' budget counters meeting in one real Redis: each stays under a key's per-second
 * allowance alone, the sum does not, and whichever flushes after the sum is over throttles the key
 * until the second ends. The clock is fixed, so the second never turns during a test.
 */
class ClusterBudgetsTest {
  static final long ALLOWANCE = 40;

  static Vertx vertx;
  static Redis redis;
  final AtomicLong clock = new AtomicLong(1_700_000_000_250L);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = ParleyInfra.redis(vertx, TestInfra.config(ClusterBudgetsTest.class.getSimpleName()));
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  ClusterBudgets gateway() {
    return new ClusterBudgets(true, clock::get, key -> ALLOWANCE);
  }

  static void count(ClusterBudgets budgets, String key, int packets) {
    for (int i = 0; i < packets; i++) {
      budgets.count(key);
    }
  }

  @Test
  void a_key_over_its_allowance_summed_over_gateways_is_throttled_until_the_second_ends() throws Exception {
    ClusterBudgets first = gateway();
    ClusterBudgets second = gateway();
    count(first, "user:spread", 25);
    count(second, "user:spread", 25);

    await(first.flush(redis));
    assertThat(first.throttled("user:spread")).as("25 alone is under 40").isFalse();
    await(second.flush(redis));

    assertThat(second.throttled("user:spread")).as("25 + 25 is over 40").isTrue();
    assertThat(second.retryAfterMs("user:spread")).isEqualTo(750);
    count(first, "user:spread", 5);
    await(first.flush(redis));
    assertThat(first.throttled("user:spread")).isTrue();

    clock.addAndGet(750);
    assertThat(second.throttled("user:spread")).as("a new second starts a new count").isFalse();
  }

  @Test
  void a_key_that_sends_little_never_reaches_redis_or_gets_throttled() throws Exception {
    ClusterBudgets first = gateway();
    ClusterBudgets second = gateway();
    // Under a quarter of the allowance per flush interval: kept local.
    count(first, "user:quiet", 2);
    count(second, "user:quiet", 2);

    await(first.flush(redis));
    await(second.flush(redis));

    assertThat(first.throttled("user:quiet")).isFalse();
    assertThat(second.throttled("user:quiet")).isFalse();
  }

  @Test
  void with_redis_unreachable_a_flush_fails_quietly_and_nothing_is_throttled() throws Exception {
    ClusterBudgets budgets = gateway();
    count(budgets, "user:offline", 100);
    Redis nowhere = Redis.createClient(vertx, "redis://127.0.0.1:1");
    try {
      await(budgets.flush(nowhere).recover(failure -> Future.succeededFuture()));
    } finally {
      nowhere.close();
    }

    assertThat(budgets.throttled("user:offline")).isFalse();
    count(budgets, "user:offline", 50);
    await(budgets.flush(redis));
    assertThat(budgets.throttled("user:offline")).as("the next flush works again").isTrue();
  }
}
