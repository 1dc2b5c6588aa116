package io.parley.shared.presence;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.infra.RedisKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence against real Redis: registration, look-up by node, and refreshing many at once. */
class PresenceTest {
  static Vertx vertx;
  static Redis redis;
  static Presence presence;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ParleyConfig config = TestInfra.config(PresenceTest.class.getSimpleName());
    redis = ParleyInfra.redis(vertx, config);
    presence = new Presence(redis);
  }

  @AfterAll
  static void stop() {
    redis.close();
    await(vertx.close());
  }

  @Test
  void devices_are_found_grouped_by_the_node_that_holds_them() {
    await(presence.register("ada", "d1", "gw-a"));
    await(presence.register("ada", "d2", "gw-b"));
    await(presence.register("bob", "d3", "gw-a"));

    Map<String, Map<String, List<String>>> byNode = await(presence.devicesByNode(List.of("ada", "bob", "nobody")));

    assertThat(byNode.get("gw-a")).containsEntry("ada", List.of("d1")).containsEntry("bob", List.of("d3"));
    assertThat(byNode.get("gw-b")).containsEntry("ada", List.of("d2"));
    await(presence.unregister("ada", "d2"));
    assertThat(await(presence.devicesByNode(List.of("ada")))).doesNotContainKey("gw-b");
  }

  @Test
  void thousands_of_entries_refresh_in_batches_without_overflowing_the_pool() {
    List<Presence.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      entries.add(new Presence.Entry("user" + i, "device" + i, "gw-refresh"));
    }

    await(presence.refreshAll(entries));

    RedisAPI api = RedisAPI.api(redis);
    assertThat(await(api.hget(RedisKeys.presence("user4999"), "device4999")).toString()).isEqualTo("gw-refresh");
    assertThat(await(api.pttl(RedisKeys.presence("user0"))).toLong()).isPositive();
  }

  @Test
  void the_marker_written_with_a_refresh_tells_whether_redis_still_holds_what_was_written() {
    String marker = "marker-" + System.nanoTime();
    assertThat(await(presence.markerPresent(marker))).as("never written").isFalse();

    assertThat(await(presence.refreshAll(List.of(new Presence.Entry("cleo", "d9", "gw-marker")), marker)))
        .as("the marker was there before the first refresh").isFalse();
    assertThat(await(presence.markerPresent(marker))).isTrue();
    assertThat(await(presence.refreshAll(List.of(), marker))).as("the marker was there before the second").isTrue();
    assertThat(await(RedisAPI.api(redis).pttl(RedisKeys.presenceMarker(marker))).toLong()).as("expires like the entries").isPositive();

    await(RedisAPI.api(redis).del(List.of(RedisKeys.presenceMarker(marker))));
    assertThat(await(presence.markerPresent(marker))).as("lost with the data").isFalse();
    assertThat(await(presence.refreshAll(List.of(), marker))).as("a refresh finds the loss too").isFalse();
  }
}
