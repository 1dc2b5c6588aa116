package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.Replies;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.parley.client.ClientOptions;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packet budgets: per connection, per account over all its connections, per address over all its
 * connections. A flood gets one RATE_LIMITED per window with retry_after_ms and the connection stays.
 * The auth service is a stand-in that logs in whoever asks, as the user named in the LOGIN id.
 */
class GatewayBudgetsTest {
  static final int CONNECTION_BURST = 20;
  static final int ACCOUNT_BURST = 30;
  static final int ADDRESS_BURST = 60;

  static Vertx vertx;
  static Gateway.Running gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    ParleyConfig config =
        TestInfra.config(GatewayBudgetsTest.class.getSimpleName())
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.PACKET_RATE_PER_SECOND, 5)
            .with(ConfigKey.PACKET_BURST, CONNECTION_BURST)
            .with(ConfigKey.ACCOUNT_PACKET_RATE_PER_SECOND, 5)
            .with(ConfigKey.ACCOUNT_PACKET_BURST, ACCOUNT_BURST)
            .with(ConfigKey.ADDRESS_PACKET_RATE_PER_SECOND, 5)
            .with(ConfigKey.ADDRESS_PACKET_BURST, ADDRESS_BURST);
    await(vertx.eventBus()
        .<BusRequest>consumer(Addresses.AUTH_LOGIN, message -> {
          String user = message.body().packet(Login.class).id();
          message.reply(new BusReply(Replies.loginOk(user), new BusReply.SessionChange(user)));
        })
        .completion());
    gateway = await(Gateway.deploy(vertx, config, ServerIdentity.generate(new SecureRandom()), TokenKeys.generate(), "budgets-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A packet the gateway answers itself (UNKNOWN_TYPE): budgets apply to every packet alike. */
  static Envelope packet(String id) {
    return new Envelope("NO_SUCH_PACKET", id, new JsonObject());
  }

  static Envelope login(String user, String id) {
    return new Envelope("LOGIN", id, new JsonObject().put("id", user).put("password", "secret123"));
  }

  /** Reads replies until {@code expected} arrived or the server has been quiet for the wait time. */
  static List<Envelope> replies(RawConnection connection, int expected) throws Exception {
    List<Envelope> replies = new ArrayList<>();
    while (replies.size() < expected) {
      replies.add(connection.nextPacket());
    }
    return replies;
  }

  static long count(List<Envelope> replies, StatusCode code) {
    return replies.stream().filter(reply -> reply.statusCode().filter(code::equals).isPresent()).count();
  }

  @Test
  void a_flood_on_one_connection_gets_its_burst_answered_one_rate_limited_and_the_connection_stays() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort(), "127.0.0.21")) {
      connection.handshake(UUID.randomUUID());
      for (int i = 0; i < 500; i++) {
        connection.send(packet("f" + i));
      }

      // The burst is answered, then one RATE_LIMITED for the window; the other ~480 are dropped. On a
      // slow machine the 500 arrive over a while and the budget refills meanwhile (5 a second), so a
      // few more than the burst may be answered, before or after the notice.
      List<Envelope> replies = new ArrayList<>();
      while (replies.stream().noneMatch(r -> r.statusCode().filter(StatusCode.RATE_LIMITED::equals).isPresent())) {
        replies.add(connection.nextPacket());
        assertThat(replies).as("a RATE_LIMITED among the replies to 500 packets").hasSizeLessThanOrEqualTo(500);
      }
      Envelope limited = replies.get(replies.size() - 1);
      assertThat(count(replies, StatusCode.UNKNOWN_TYPE)).isGreaterThanOrEqualTo(CONNECTION_BURST).isLessThan(500);
      assertThat(limited.id()).isNull();
      long retryAfter = limited.data().getLong(Replies.RETRY_AFTER_MS);
      assertThat(retryAfter).isPositive();

      // Honouring retry_after_ms (the protocol's wait, not a synchronisation): the connection is still
      // open and answers again. Flood packets the refilled budget admitted late are answered first.
      Thread.sleep(retryAfter);
      connection.send(packet("after"));
      Envelope after = connection.nextPacket();
      for (int late = 0; late < 500 && !"after".equals(after.id()); late++) {
        assertThat(after.id() == null || after.id().startsWith("f")).as("a late flood reply or notice: " + after).isTrue();
        after = connection.nextPacket();
      }
      assertThat(after.id()).isEqualTo("after");
      assertThat(after.statusCode()).contains(StatusCode.UNKNOWN_TYPE);
      assertThat(connection.isClosed()).isFalse();
    }
  }

  /** Sends {@code count} packets and reads every reply: all must be answered. */
  static void allAnswered(RawConnection connection, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      connection.send(packet(prefix + i));
    }
    assertThat(count(replies(connection, count), StatusCode.UNKNOWN_TYPE)).isEqualTo(count);
  }

  /** Sends {@code count} packets and reads until the RATE_LIMITED notice, which must come. */
  static Envelope rateLimitedAmong(RawConnection connection, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      connection.send(packet(prefix + i));
    }
    Envelope reply;
    do {
      reply = connection.nextPacket();
    } while (reply.statusCode().filter(StatusCode.RATE_LIMITED::equals).isEmpty());
    return reply;
  }

  @Test
  void an_account_spread_over_connections_shares_one_budget() throws Exception {
    String address = "127.0.0.22";
    try (RawConnection first = RawConnection.open(vertx, gateway.tcpPort(), address);
        RawConnection second = RawConnection.open(vertx, gateway.tcpPort(), address)) {
      for (RawConnection connection : List.of(first, second)) {
        connection.handshake(UUID.randomUUID());
        assertThat(connection.request(login("mallory", "login")).statusCode()).contains(StatusCode.LOGIN_OK);
      }

      // Each connection stays inside its own budget (20), but together they pass the account's (30).
      allAnswered(first, "a", CONNECTION_BURST - 1);
      Envelope limited = rateLimitedAmong(second, "b", CONNECTION_BURST - 1);

      assertThat(limited.data().getString("desc")).contains("account");
      assertThat(limited.data().getLong(Replies.RETRY_AFTER_MS)).isPositive();
    }
  }

  @Test
  void one_address_over_many_connections_shares_one_budget() throws Exception {
    String address = "127.0.0.23";
    List<RawConnection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        RawConnection connection = RawConnection.open(vertx, gateway.tcpPort(), address);
        connections.add(connection);
        connection.handshake(UUID.randomUUID());
      }

      // 3 × 19 = 57 fit the address's 60; the fourth connection's 19 do not, though each is under its own 20.
      for (int i = 0; i < 3; i++) {
        allAnswered(connections.get(i), "p" + i + "-", CONNECTION_BURST - 1);
      }
      Envelope limited = rateLimitedAmong(connections.get(3), "q", CONNECTION_BURST - 1);

      assertThat(limited.data().getString("desc")).contains("address");
    } finally {
      connections.forEach(RawConnection::close);
    }
  }

  @Test
  void the_sdk_resends_what_was_dropped_after_retry_after_ms_so_every_request_is_answered(@TempDir Path home) throws Exception {
    ParleyConnection connection = await(ParleyClient.connect(vertx,
        ClientOptions.tcp("127.0.0.1", gateway.tcpPort(), UUID.randomUUID()).withKnownServersFile(home.resolve("known"))));
    try {
      double droppedBefore = gateway.stats().refusals("packet_rate");
      List<Future<Envelope>> replies = new ArrayList<>();
      for (int i = 0; i < 2 * CONNECTION_BURST; i++) {
        replies.add(connection.request(packet("sdk" + i)));
      }

      for (int i = 0; i < replies.size(); i++) {
        Envelope reply = replies.get(i).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(reply.id()).endsWith("sdk" + i);
        assertThat(reply.statusCode()).contains(StatusCode.UNKNOWN_TYPE);
      }
      // Paced resends: the first burst's overflow is dropped, and few resends after it. Resending
      // every unanswered request at each notice dropped ~200 packets here (19 + 18 + ... per notice).
      assertThat(gateway.stats().refusals("packet_rate") - droppedBefore).isLessThanOrEqualTo(2 * CONNECTION_BURST);
    } finally {
      await(connection.close());
    }
  }
}
