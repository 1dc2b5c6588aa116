package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusReply;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-connection limits that end a connection: idle timeout and the AES-GCM record limit. */
class GatewayLimitsTest {
  static final long IDLE_TIMEOUT_MS = 300;
  static final long MAX_RECORDS = 5;

  static Vertx vertx;
  static Gateway.Running gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    ParleyConfig config =
        TestInfra.config(GatewayLimitsTest.class.getSimpleName())
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.IDLE_TIMEOUT_MS, IDLE_TIMEOUT_MS)
            .with(ConfigKey.MAX_RECORDS_PER_DIRECTION, MAX_RECORDS);
    await(
        vertx.eventBus()
            .consumer(
                Addresses.AUTH_LOGIN,
                message -> message.reply(BusReply.of(Envelope.status(StatusCode.NOT_IMPLEMENTED))))
            .completion());
    gateway = await(Gateway.deploy(vertx, config, ServerIdentity.generate(new SecureRandom()), TokenKeys.generate(), "limits-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Envelope login(String id) {
    return new Envelope("LOGIN", id, new JsonObject().put("id", "alice").put("password", "secret123"));
  }

  @Test
  void a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());

      Envelope status = connection.nextPacket();

      assertThat(status.statusCode()).contains(StatusCode.IDLE_TIMEOUT);
      assertThat(status.id()).isNull();
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void the_last_record_of_a_channel_asks_the_client_to_reconnect() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID()); // record 1 of 5: CONN_OK
      for (int record = 2; record <= 4; record++) {
        assertThat(connection.request(login("r" + record)).statusCode().orElseThrow()).isNotEqualTo(StatusCode.RECONNECT);
      }

      Envelope last = connection.request(login("r5")); // record 5: the limit

      assertThat(last.statusCode()).contains(StatusCode.RECONNECT);
      assertThat(connection.awaitClosed()).isTrue();
    }
  }
}
