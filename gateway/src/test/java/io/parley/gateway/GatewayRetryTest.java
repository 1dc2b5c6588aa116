package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.Replies;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A frozen replica costs an attempt, not a failed request: two stand-in message services share the
 * CHAT_ACTION address, one never answers (as a process stopped by SIGSTOP), and every CHAT_ACTION
 * with a request id is still answered — by the live one, once per id. A request that is not safe to
 * repeat (CREATE_ROOM) gets exactly one attempt.
 */
class GatewayRetryTest {
  static Vertx vertx;
  static Gateway.Running gateway;
  static final List<String> frozenSaw = new CopyOnWriteArrayList<>();
  static final List<String> liveSaw = new CopyOnWriteArrayList<>();
  static final List<String> createsSeen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    await(vertx.eventBus()
        .<BusRequest>consumer(Addresses.AUTH_LOGIN, message -> {
          String user = message.body().packet(Login.class).id();
          message.reply(new BusReply(Replies.loginOk(user), new BusReply.SessionChange(user)));
        })
        .completion());
    await(vertx.eventBus()
        .<BusRequest>consumer(Addresses.MESSAGE_CHAT_ACTION, message -> frozenSaw.add(message.body().requestId()))
        .completion());
    await(vertx.eventBus()
        .<BusRequest>consumer(Addresses.MESSAGE_CHAT_ACTION, message -> {
          liveSaw.add(message.body().requestId());
          message.reply(BusReply.of(Envelope.status(StatusCode.MSG_OK)));
        })
        .completion());
    await(vertx.eventBus()
        .<BusRequest>consumer(Addresses.ROOM_CREATE, message -> createsSeen.add(message.body().requestId()))
        .completion());
    gateway = await(Gateway.deploy(vertx,
        TestInfra.config(GatewayRetryTest.class.getSimpleName()).with(ConfigKey.BIND_HOST, "127.0.0.1").with(ConfigKey.BUS_TIMEOUT_MS, 1500),
        ServerIdentity.generate(new SecureRandom()), TokenKeys.generate(), "retry-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Envelope send(String id) {
    JsonObject actiondata = new JsonObject().put("format", "msg-text").put("content", Base64.getEncoder().encodeToString(new byte[16]));
    return new Envelope("CHAT_ACTION", id,
        new JsonObject().put("room", UUID.randomUUID().toString()).put("action", "send").put("actiondata", actiondata));
  }

  @Test
  void with_one_replica_frozen_every_send_with_a_request_id_is_answered_once_by_the_live_one() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());
      assertThat(connection.request(new Envelope("LOGIN", "login", new JsonObject().put("id", "ada").put("password", "secret123")))
          .statusCode()).contains(StatusCode.LOGIN_OK);

      for (int i = 0; i < 6; i++) {
        Envelope reply = connection.request(send("send-" + i));
        assertThat(reply.id()).isEqualTo("send-" + i);
        assertThat(reply.statusCode()).contains(StatusCode.MSG_OK);
      }

      assertThat(liveSaw).containsExactly("send-0", "send-1", "send-2", "send-3", "send-4", "send-5");
      assertThat(frozenSaw).as("the bus took turns: some attempts went to the frozen replica").isNotEmpty();
    }
  }

  @Test
  void a_request_that_is_not_safe_to_repeat_gets_one_attempt() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());
      assertThat(connection.request(new Envelope("LOGIN", "login", new JsonObject().put("id", "bob").put("password", "secret123")))
          .statusCode()).contains(StatusCode.LOGIN_OK);

      Envelope reply = connection.request(new Envelope("CREATE_ROOM", "create-1",
          new JsonObject().put("room-type", 1).put("room-name", "Club").put("people", new JsonArray().add("carol"))));

      assertThat(reply.statusCode()).contains(StatusCode.UNAVAILABLE);
      assertThat(createsSeen).containsExactly("create-1");
    }
  }
}
