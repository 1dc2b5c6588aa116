package io.parley.auth.limits;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ParleyInfra;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The login limits' counter against real Redis: reserve-then-check under concurrency, and safe refunds. */
class WindowCounterTest {
  static Vertx vertx;
  static Redis redisClient;
  static RedisAPI redis;
  static WindowCounter counter;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ParleyConfig config = TestInfra.config(WindowCounterTest.class.getSimpleName());
    redisClient = ParleyInfra.redis(vertx, config);
    redis = RedisAPI.api(redisClient);
    counter = new WindowCounter(redis, Duration.ofMinutes(15));
  }

  @AfterAll
  static void stop() {
    redisClient.close();
    await(vertx.close());
  }

  static String freshKey() {
    return "test:window:" + UUID.randomUUID();
  }

  @Test
  void thirty_concurrent_reservations_against_a_limit_of_ten_admit_exactly_ten() {
    String key = freshKey();
    List<Future<Boolean>> burst = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      burst.add(counter.reserve(key, 10));
    }
    await(Future.all(burst));

    assertThat(burst.stream().filter(Future::result).count()).isEqualTo(10);
    assertThat(await(redis.get(key)).toLong()).as("refused reservations are not counted").isEqualTo(10);
    assertThat(await(redis.pttl(key)).toLong()).as("the window has an expiry").isPositive();
  }

  @Test
  void a_refund_takes_back_one_hit_and_never_goes_below_zero() {
    String key = freshKey();
    await(counter.hit(key));
    await(counter.hit(key));

    await(counter.refund(key));
    assertThat(await(redis.get(key)).toLong()).isEqualTo(1);
    await(counter.refund(key));
    await(counter.refund(key));
    assertThat(await(redis.get(key)).toLong()).isZero();
  }

  @Test
  void a_refund_after_the_window_ended_creates_no_key_without_expiry() {
    String key = freshKey();

    await(counter.refund(key));

    assertThat(await(redis.exists(List.of(key))).toLong()).isZero();
  }
}
