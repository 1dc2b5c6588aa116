package io.parley.message.delivery;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pushes completed in one event-loop turn (a group commit's batch) share one presence look-up of
 * their distinct users, and each push still sees only its own room's users.
 */
class CoalescedLookupTest {
  static Vertx vertx;
  static Context loop;

  final FanoutOrderTest.HeldLookups redis = new FanoutOrderTest.HeldLookups();
  final CoalescedLookup lookup = new CoalescedLookup(vertx, redis);

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  /** Runs on the event loop and waits; a later call runs after the look-up that an earlier turn queued. */
  static <T> T onLoop(Supplier<T> work) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> result.complete(work.get()));
    return await(result.future());
  }

  @Test
  void three_pushes_of_one_turn_ask_presence_once_for_their_distinct_users_and_each_gets_its_own() {
    List<Future<Map<String, Map<String, List<String>>>>> answers = onLoop(() -> List.of(
        lookup.devicesByNode(List.of("ann", "bob")),
        lookup.devicesByNode(List.of("bob", "cy")),
        lookup.devicesByNode(List.of("dan"))));

    assertThat(onLoop(() -> List.copyOf(redis.asked))).containsExactly(List.of("ann", "bob", "cy", "dan"));
    onLoop(() -> redis.answers.get(0).tryComplete(Map.of(
        "node-a", Map.of("ann", List.of("ann-laptop"), "bob", List.of("bob-phone")),
        "node-b", Map.of("cy", List.of("cy-tablet")))));

    assertThat(await(answers.get(0))).isEqualTo(Map.of("node-a", Map.of("ann", List.of("ann-laptop"), "bob", List.of("bob-phone"))));
    assertThat(await(answers.get(1))).isEqualTo(Map.of(
        "node-a", Map.of("bob", List.of("bob-phone")),
        "node-b", Map.of("cy", List.of("cy-tablet"))));
    assertThat(await(answers.get(2))).isEmpty();
  }

  @Test
  void pushes_of_separate_turns_ask_separately() {
    Future<Map<String, Map<String, List<String>>>> first = onLoop(() -> lookup.devicesByNode(List.of("ann")));
    assertThat(onLoop(() -> List.copyOf(redis.asked))).containsExactly(List.of("ann"));
    onLoop(() -> redis.answers.get(0).tryComplete(Map.of("node-a", Map.of("ann", List.of("ann-laptop")))));
    assertThat(await(first)).isEqualTo(Map.of("node-a", Map.of("ann", List.of("ann-laptop"))));

    Future<Map<String, Map<String, List<String>>>> second = onLoop(() -> lookup.devicesByNode(List.of("bob")));
    assertThat(onLoop(() -> List.copyOf(redis.asked))).containsExactly(List.of("ann"), List.of("bob"));
    onLoop(() -> redis.answers.get(1).tryComplete(Map.of()));
    assertThat(await(second)).isEmpty();
  }

  @Test
  void a_failed_look_up_fails_every_push_of_its_turn_so_each_takes_the_broadcast() {
    List<Future<Map<String, Map<String, List<String>>>>> answers = onLoop(() -> List.of(
        lookup.devicesByNode(List.of("ann")),
        lookup.devicesByNode(List.of("bob"))));

    onLoop(() -> redis.answers.get(0).tryFail(new IllegalStateException("redis down")));

    for (Future<Map<String, Map<String, List<String>>>> answer : answers) {
      assertThatThrownBy(() -> await(answer)).hasMessageContaining("redis down");
    }
    assertThat(onLoop(() -> List.copyOf(redis.asked))).hasSize(1);
  }
}
