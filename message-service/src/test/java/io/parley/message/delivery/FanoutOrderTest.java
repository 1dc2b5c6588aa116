package io.parley.message.delivery;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BroadcastDelivery;
import io.parley.shared.bus.Delivery;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live delivery's ordering and routing on one event loop, with presence look-ups the test answers:
 * a room's pushes leave in sequence order whatever order their look-ups would finish in, rooms do not
 * wait for each other, and each gateway node gets one delivery with its own devices.
 */
class FanoutOrderTest {
  /** Long enough never to fire while the test holds a look-up, however busy the machine. */
  static final Duration NEVER = Duration.ofHours(1);

  static Vertx vertx;
  static Context loop;
  static final BlockingQueue<JsonObject> toNodeA = new LinkedBlockingQueue<>();
  static final BlockingQueue<JsonObject> toNodeB = new LinkedBlockingQueue<>();
  static final BlockingQueue<JsonObject> toEveryGateway = new LinkedBlockingQueue<>();

  final HeldLookups lookups = new HeldLookups();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.gatewayDeliver("node-a"), message -> toNodeA.add(message.body())).completion());
    await(vertx.eventBus().<JsonObject>consumer(Addresses.gatewayDeliver("node-b"), message -> toNodeB.add(message.body())).completion());
    await(vertx.eventBus().<JsonObject>consumer(Addresses.GATEWAYS_BROADCAST_DELIVER, message -> toEveryGateway.add(message.body())).completion());
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @BeforeEach
  void empty() {
    toNodeA.clear();
    toNodeB.clear();
    toEveryGateway.clear();
  }

  /** Presence look-ups that wait for the test's answer, in the order they were asked. */
  static final class HeldLookups implements Fanout.DeviceLookup {
    final List<Collection<String>> asked = new ArrayList<>();
    final List<Promise<Map<String, Map<String, List<String>>>>> answers = new ArrayList<>();

    @Override
    public Future<Map<String, Map<String, List<String>>>> devicesByNode(Collection<String> users) {
      asked.add(List.copyOf(users));
      Promise<Map<String, Map<String, List<String>>>> answer = Promise.promise();
      answers.add(answer);
      return answer.future();
    }
  }

  static <T> T onLoop(Supplier<T> work) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> result.complete(work.get()));
    return await(result.future());
  }

  static RoomEvent event(UUID room, long seq) {
    return new RoomEvent(UUID.randomUUID(), room, seq, RoomEventKind.MESSAGE_SENT, "ann", UUID.randomUUID(), Instant.EPOCH,
        new JsonObject().put("format", "msg-text").put("content", "m" + seq));
  }

  static long seqOf(JsonObject delivery) {
    return Delivery.fromJson(delivery).packet().data().getLong("seq");
  }

  static JsonObject next(BlockingQueue<JsonObject> queue) throws InterruptedException {
    JsonObject message = queue.poll(10, TimeUnit.SECONDS);
    assertThat(message).as("a delivery within 10 s").isNotNull();
    return message;
  }

  Fanout fanout(Duration lookupTimeout) {
    return new Fanout(vertx, lookups, () -> 0L, lookupTimeout);
  }

  boolean answer(int lookup, Map<String, Map<String, List<String>>> devicesByNode) {
    return lookups.answers.get(lookup).tryComplete(devicesByNode);
  }

  @Test
  void a_rooms_next_push_waits_for_the_previous_ones_look_up_so_members_get_seq_order() throws Exception {
    Fanout fanout = fanout(NEVER);
    UUID room = UUID.randomUUID();
    Map<String, Map<String, List<String>>> bobOnA = Map.of("node-a", Map.of("bob", List.of("bob-phone")));

    List<Future<Void>> pushes = onLoop(() -> List.of(
        fanout.push(event(room, 5), List.of("bob"), null),
        fanout.push(event(room, 6), List.of("bob"), null)));
    assertThat(onLoop(() -> lookups.asked.size())).as("seq 6 looks up only after seq 5 has left").isEqualTo(1);

    onLoop(() -> answer(0, bobOnA));
    assertThat(seqOf(next(toNodeA))).isEqualTo(5);
    await(pushes.get(0));
    assertThat(onLoop(() -> lookups.asked.size())).isEqualTo(2);
    onLoop(() -> answer(1, bobOnA));
    assertThat(seqOf(next(toNodeA))).isEqualTo(6);
    await(pushes.get(1));
  }

  @Test
  void rooms_do_not_wait_for_each_others_look_ups() throws Exception {
    Fanout fanout = fanout(NEVER);
    Map<String, Map<String, List<String>>> bobOnA = Map.of("node-a", Map.of("bob", List.of("bob-phone")));

    Future<Void> quick = onLoop(() -> {
      fanout.push(event(UUID.randomUUID(), 1), List.of("bob"), null);
      return fanout.push(event(UUID.randomUUID(), 9), List.of("bob"), null);
    });
    assertThat(onLoop(() -> lookups.asked.size())).isEqualTo(2);

    onLoop(() -> answer(1, bobOnA));
    await(quick);
    assertThat(seqOf(next(toNodeA))).isEqualTo(9);
    onLoop(() -> answer(0, bobOnA));
    assertThat(seqOf(next(toNodeA))).isEqualTo(1);
  }

  @Test
  void each_node_gets_one_delivery_with_its_devices_and_never_the_sending_device() throws Exception {
    Fanout fanout = fanout(NEVER);
    UUID room = UUID.randomUUID();
    UUID sender = UUID.randomUUID();

    Future<Void> pushed = onLoop(() -> fanout.push(event(room, 1), List.of("ann", "bob"), sender));
    // node-b has only the sending device: it gets nothing.
    onLoop(() -> answer(0, Map.of(
        "node-a", Map.of("ann", List.of("ann-laptop", sender.toString()), "bob", List.of("bob-phone")),
        "node-b", Map.of("ann", List.of(sender.toString())))));
    await(pushed);

    assertThat(Delivery.fromJson(next(toNodeA)).targets())
        .containsExactlyInAnyOrder(new Delivery.Target("ann", "ann-laptop"), new Delivery.Target("bob", "bob-phone"));
    // The bus keeps one sender's order: had the first push sent to node-b, this would not come first.
    Future<Void> marker = onLoop(() -> fanout.push(event(room, 2), List.of("bob"), null));
    onLoop(() -> answer(1, Map.of("node-b", Map.of("bob", List.of("bob-tablet")))));
    await(marker);
    assertThat(seqOf(next(toNodeB))).isEqualTo(2);
    assertThat(toEveryGateway).isEmpty();
  }

  @Test
  void a_push_to_nobody_asks_presence_nothing() {
    Fanout fanout = fanout(NEVER);

    onLoop(() -> fanout.push(event(UUID.randomUUID(), 1), List.of(), null));

    assertThat(onLoop(() -> lookups.asked.size())).isZero();
  }

  @Test
  void a_failed_look_up_sends_the_push_to_every_gateway_and_the_rooms_next_push_still_leaves() throws Exception {
    Fanout fanout = fanout(NEVER);
    UUID room = UUID.randomUUID();

    List<Future<Void>> pushes = onLoop(() -> List.of(
        fanout.push(event(room, 1), List.of("bob"), null),
        fanout.push(event(room, 2), List.of("bob"), null)));
    onLoop(() -> lookups.answers.get(0).tryFail(new IllegalStateException("redis down")));
    await(Future.all(pushes));

    assertThat(BroadcastDelivery.fromJson(next(toEveryGateway)).packet().data().getLong("seq")).isEqualTo(1);
    assertThat(BroadcastDelivery.fromJson(next(toEveryGateway)).packet().data().getLong("seq")).isEqualTo(2);
    // The clock stands still, so no probe is due: during the outage nothing waits on presence.
    assertThat(onLoop(() -> lookups.asked.size())).isEqualTo(1);
  }

  @Test
  void a_look_up_that_never_answers_ends_in_the_broadcast_after_the_timeout() throws Exception {
    Fanout fanout = fanout(Duration.ofMillis(1));

    Future<Void> pushed = onLoop(() -> fanout.push(event(UUID.randomUUID(), 3), List.of("bob"), null));
    await(pushed);

    assertThat(BroadcastDelivery.fromJson(next(toEveryGateway)).users()).containsExactly("bob");
  }
}
