package io.parley.message.delivery;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BroadcastDelivery;
import io.parley.shared.bus.Delivery;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Live delivery with presence and without it: a Redis of its own that the test stops and starts again
 * on the same port, so an outage is a real connection failure, not a stand-in.
 */
class FanoutTest {
  static Vertx vertx;
  static Context loop;
  static int port;
  static RedisServer server;
  static Redis redis;
  static Presence presence;
  static final AtomicLong nanos = new AtomicLong();
  static final BlockingQueue<JsonObject> toNode = new LinkedBlockingQueue<>();
  static final BlockingQueue<JsonObject> toEveryGateway = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    server = startRedis();
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + port + "/0"));
    presence = new Presence(redis);
    await(vertx.eventBus().<JsonObject>consumer(Addresses.gatewayDeliver("node-a"), message -> toNode.add(message.body())).completion());
    await(vertx.eventBus().<JsonObject>consumer(Addresses.GATEWAYS_BROADCAST_DELIVER, message -> toEveryGateway.add(message.body())).completion());
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
    await(vertx.close());
    if (server.isActive()) {
      server.stop();
    }
  }

  static RedisServer startRedis() throws Exception {
    RedisServer started = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
    started.start();
    return started;
  }

  static <T> Future<T> onLoop(Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> work.get().onComplete(result));
    return result.future();
  }

  static Envelope packet(String marker) {
    return Envelope.of(PacketType.ROOM_EVENT, new JsonObject().put("marker", marker));
  }

  static JsonObject next(BlockingQueue<JsonObject> queue) throws InterruptedException {
    JsonObject message = queue.poll(10, TimeUnit.SECONDS);
    assertThat(message).as("a delivery within 10 s").isNotNull();
    return message;
  }

  static String marker(Envelope packet) {
    return packet.data().getString("marker");
  }

  @Test
  void presence_down_pushes_go_to_every_gateway_and_come_back_to_presence_after_the_grace() throws Exception {
    Fanout fanout = new Fanout(vertx, presence::devicesByNode, nanos::get, Fanout.LOOKUP_TIMEOUT);
    UUID ann = UUID.randomUUID();
    UUID bob = UUID.randomUUID();
    await(presence.register("ann", ann.toString(), "node-a"));
    await(presence.register("bob", bob.toString(), "node-a"));

    await(onLoop(() -> fanout.pushPacket(packet("up"), List.of("ann", "bob"), bob)));
    Delivery perNode = Delivery.fromJson(next(toNode));
    assertThat(marker(perNode.packet())).isEqualTo("up");
    assertThat(perNode.targets()).containsExactly(new Delivery.Target("ann", ann.toString()));

    server.stop();
    for (int i = 0; i < 3; i++) {
      String name = "down-" + i;
      await(onLoop(() -> fanout.pushPacket(packet(name), List.of("ann", "bob"), bob)));
      BroadcastDelivery everywhere = BroadcastDelivery.fromJson(next(toEveryGateway));
      assertThat(marker(everywhere.packet())).isEqualTo(name);
      assertThat(everywhere.users()).containsExactly("ann", "bob");
      assertThat(everywhere.skipDevice()).isEqualTo(bob.toString());
    }

    server = startRedis(); // empty: the entries are gone until the gateways re-register them
    await(presence.register("ann", ann.toString(), "node-a"));
    // Pushes keep going by broadcast while probes (one per interval) find out that Redis is back.
    int pushed = 0;
    while (!await(onLoop(() -> Future.succeededFuture(fanout.recovering())))) {
      assertThat(pushed).as("pushes before a probe notices Redis is back").isLessThan(200);
      nanos.addAndGet(Fanout.PROBE_INTERVAL.toNanos());
      String name = "probe-" + pushed++;
      await(onLoop(() -> fanout.pushPacket(packet(name), List.of("ann"), null)));
      assertThat(marker(BroadcastDelivery.fromJson(next(toEveryGateway)).packet())).isEqualTo(name);
    }

    await(onLoop(() -> fanout.pushPacket(packet("grace"), List.of("ann"), null)));
    assertThat(marker(BroadcastDelivery.fromJson(next(toEveryGateway)).packet())).as("within the grace").isEqualTo("grace");

    nanos.addAndGet(Fanout.RECOVERY_GRACE.toNanos());
    await(onLoop(() -> fanout.pushPacket(packet("after"), List.of("ann"), null)));
    assertThat(marker(Delivery.fromJson(next(toNode)).packet())).isEqualTo("after");
    assertThat(toEveryGateway).as("each push took exactly one path").isEmpty();
    assertThat(toNode).isEmpty();
  }
}
