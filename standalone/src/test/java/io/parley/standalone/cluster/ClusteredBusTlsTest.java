package io.parley.standalone.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.parley.shared.bus.Addresses;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.runtime.ParleyRuntime;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The clustered event bus admits only holders of a certificate from the deployment's CA. This test
 * JVM joins the running {@link LoopbackCluster} as three more members, through the production
 * {@link ParleyRuntime}: one with a certificate from the deployment's CA (the control: it gets its
 * answer), one with a certificate from a CA of its own, and one with a plaintext bus. Hazelcast lets
 * all three in (its membership is not authenticated, docs/security.md), so each learns where
 * {@code parley.room.members} lives; only the first may exchange a message with it, in either direction.
 */
@ExtendWith(LoopbackCluster.Resolver.class)
class ClusteredBusTlsTest {
  /** A test-only address the intruders listen on, to see whether the cluster ever sends to them. */
  static final String BAIT = "parley.test.bait";
  /**
   * How long a refused request waits before it counts as unanswered. A refused TLS handshake only
   * fails the write (the bus then drops the message), so the request ends by this timeout.
   */
  static final long REFUSED_AFTER_MS = 5_000;

  static LoopbackCluster cluster;
  static final List<ParleyRuntime> joined = new ArrayList<>();
  static ParleyRuntime member;
  static ParleyRuntime foreignCa;
  static ParleyRuntime plaintext;

  @BeforeAll
  static void joinAsThreeMembers(LoopbackCluster shared) throws Exception {
    cluster = shared;
    BusCertificates intruderCa = BusCertificates.newCa(cluster.home, "intruder-ca");
    member = join(cluster.ca.issue("test-member").env());
    // It trusts the deployment's CA (its certificate is no secret) and presents one of its own.
    foreignCa = join(intruderCa.issue("room", cluster.ca.caCertificate()).env());
    plaintext = join(Map.of(ConfigKey.CLUSTER_INSECURE_BUS.env(), "true"));
  }

  @AfterAll
  static void leave() throws Exception {
    for (ParleyRuntime runtime : joined) {
      await(runtime.vertx().close());
    }
  }

  static ParleyRuntime join(Map<String, String> security) throws Exception {
    Map<String, String> env = new HashMap<>(cluster.memberEnv(LoopbackCluster.freePort()));
    env.putAll(security);
    ParleyRuntime runtime = await(ParleyRuntime.start(ParleyConfig.of(env), true));
    joined.add(runtime);
    return runtime;
  }

  @Test
  void a_member_with_a_certificate_from_the_deployment_ca_asks_the_room_service() throws Exception {
    JsonObject reply = askRoomMembers(member, 60_000).body();
    assertThat(reply.getBoolean("found")).isFalse();
  }

  @Test
  void a_certificate_from_another_ca_gets_no_answer_from_the_room_service() throws Exception {
    assertUnanswered(() -> askRoomMembers(foreignCa, REFUSED_AFTER_MS));
  }

  @Test
  void a_plaintext_member_gets_no_answer_from_the_room_service() throws Exception {
    assertUnanswered(() -> askRoomMembers(plaintext, REFUSED_AFTER_MS));
  }

  @Test
  void the_cluster_sends_nothing_to_a_member_with_a_certificate_from_another_ca() throws Exception {
    assertNothingReaches(foreignCa);
  }

  @Test
  void the_cluster_sends_nothing_to_a_plaintext_member() throws Exception {
    assertNothingReaches(plaintext);
  }

  /** An intruder listens on an address; a genuine member's request to it must not arrive. */
  static void assertNothingReaches(ParleyRuntime intruder) throws Exception {
    List<Object> received = new CopyOnWriteArrayList<>();
    var consumer = intruder.vertx().eventBus().<JsonObject>consumer(BAIT, message -> {
      received.add(message.body());
      message.reply(new JsonObject().put("stolen", true));
    });
    await(consumer.completion());
    try {
      assertUnanswered(() -> await(member.vertx().eventBus()
          .<JsonObject>request(BAIT, new JsonObject().put("password", "hunter2"), new DeliveryOptions().setSendTimeout(REFUSED_AFTER_MS))));
      assertThat(received).isEmpty();
    } finally {
      await(consumer.unregister());
    }
  }

  static Message<JsonObject> askRoomMembers(ParleyRuntime from, long timeoutMs) throws Exception {
    return await(from.vertx().eventBus().<JsonObject>request(
        Addresses.ROOM_MEMBERS, new JsonObject().put("room", UUID.randomUUID().toString()), new DeliveryOptions().setSendTimeout(timeoutMs)));
  }

  /**
   * The request ends unanswered: a TIMEOUT, not NO_HANDLERS (which would mean the handler was never
   * found, and prove nothing about the TLS).
   */
  static void assertUnanswered(Request request) {
    Throwable failure = catchThrowable(request::send);
    assertThat(failure).as("the request was answered").isNotNull();
    Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
    assertThat(cause).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) cause).failureType()).as(cause.toString()).isEqualTo(ReplyFailure.TIMEOUT);
  }

  interface Request {
    Object send() throws Exception;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
