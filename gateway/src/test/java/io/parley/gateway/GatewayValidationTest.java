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
import io.parley.shared.protocol.packet.ChatAction;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validation happens once, here: the message service trusts the packet records it is sent, so every
 * malformed shape of its packets must be answered BAD_PACKET by the gateway, naming the field, and
 * never reach the bus. (The shapes themselves are specified packet by packet in MessagePacketsTest.)
 */
class GatewayValidationTest {
  static final String ROOM = UUID.randomUUID().toString();
  static final String CONTENT = Base64.getEncoder().encodeToString(new byte[16]);

  static Vertx vertx;
  static Gateway.Running gateway;
  static final List<BusRequest> messageServiceSaw = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    await(vertx.eventBus()
        .<BusRequest>consumer(Addresses.AUTH_LOGIN, message -> {
          String user = message.body().packet(Login.class).id();
          message.reply(new BusReply(Replies.loginOk(user), new BusReply.SessionChange(user)));
        })
        .completion());
    for (String address : List.of(Addresses.MESSAGE_CHAT_ACTION, Addresses.MESSAGE_SYNC, Addresses.MESSAGE_READ_RECEIPT)) {
      await(vertx.eventBus()
          .<BusRequest>consumer(address, message -> {
            messageServiceSaw.add(message.body());
            message.reply(BusReply.of(Envelope.status(StatusCode.MSG_OK)));
          })
          .completion());
    }
    gateway = await(Gateway.deploy(vertx,
        TestInfra.config(GatewayValidationTest.class.getSimpleName()).with(ConfigKey.BIND_HOST, "127.0.0.1"),
        ServerIdentity.generate(new SecureRandom()), TokenKeys.generate(), "validation-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  record Malformed(String type, JsonObject data, String field) {
    @Override
    public String toString() {
      return type + " " + data.encode();
    }
  }

  static List<Malformed> malformed() {
    JsonObject send = new JsonObject().put("format", "msg-text").put("content", CONTENT);
    return List.of(
        new Malformed("CHAT_ACTION", new JsonObject().put("room", "not-a-uuid").put("action", "send").put("actiondata", send), "room"),
        new Malformed("CHAT_ACTION", new JsonObject().put("room", ROOM).put("action", "shout").put("actiondata", send), "action"),
        new Malformed("CHAT_ACTION", new JsonObject().put("room", ROOM).put("action", "send"), "actiondata"),
        new Malformed("CHAT_ACTION", new JsonObject().put("room", ROOM).put("action", "send")
            .put("actiondata", send.copy().put("content", "not base64!")), "actiondata.content"),
        new Malformed("CHAT_ACTION", new JsonObject().put("room", ROOM).put("action", "send")
            .put("actiondata", send.copy().put("format", "msg-smoke")), "actiondata.format"),
        new Malformed("CHAT_ACTION", new JsonObject().put("room", ROOM).put("action", "edit")
            .put("actiondata", new JsonObject().put("msg", "x").put("content", CONTENT)), "actiondata.msg"),
        new Malformed("CHAT_ACTION", new JsonObject().put("room", ROOM).put("action", "save-pubkey").put("actiondata", "no pem"), "actiondata"),
        new Malformed("SYNC_ROOM_REQ", new JsonObject().put("room", ROOM).put("count", 0), "count"),
        new Malformed("SYNC_ROOM_REQ", new JsonObject().put("count", 10), "room"),
        new Malformed("READ_RECEIPT", new JsonObject().put("room", ROOM).put("msg", "nope"), "msg"),
        new Malformed("READ_RECEIPT", new JsonObject().put("msg", UUID.randomUUID().toString()), "room"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void a_malformed_message_packet_is_refused_at_the_gateway_and_never_reaches_the_service(Malformed packet) throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());
      assertThat(connection.request(new Envelope("LOGIN", "login", new JsonObject().put("id", "ada").put("password", "secret123")))
          .statusCode()).contains(StatusCode.LOGIN_OK);
      messageServiceSaw.clear();

      Envelope refused = connection.request(new Envelope(packet.type(), "bad", packet.data()));

      assertThat(refused.statusCode()).contains(StatusCode.BAD_PACKET);
      assertThat(refused.data().getString("desc")).startsWith(packet.field());
      Envelope accepted = connection.request(new Envelope("CHAT_ACTION", "good", new JsonObject().put("room", ROOM).put("action", "send")
          .put("actiondata", new JsonObject().put("format", "msg-text").put("content", CONTENT))));
      assertThat(accepted.statusCode()).contains(StatusCode.MSG_OK);
      assertThat(messageServiceSaw).as("only the well-formed packet, as its validated record").hasSize(1);
      assertThat(messageServiceSaw.get(0).packet(ChatAction.class).room()).isEqualTo(UUID.fromString(ROOM));
    }
  }
}
