package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BroadcastDelivery;
import io.parley.shared.bus.SessionsRevoked;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.token.SessionToken;
import io.parley.shared.token.TokenIssuer;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session's authentication lives no longer than what it rests on: a token that expires ends it
 * (TOKEN_EXPIRED), a published revocation ends it (LOGGED_OUT), and while the Redis revocation cache is
 * not known to be complete (this test's Redis never is) the gateway asks the auth service, here a
 * stand-in that knows which token ids are revoked.
 */
class GatewaySessionsTest {
  static Vertx vertx;
  static Gateway.Running gateway;
  static TokenKeys keys;
  static final Set<String> revoked = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    keys = TokenKeys.generate();
    await(vertx.eventBus()
        .<JsonObject>consumer(Addresses.AUTH_TOKEN_REVOKED,
            message -> message.reply(new JsonObject().put("revoked", revoked.contains(message.body().getString("token")))))
        .completion());
    gateway = await(Gateway.deploy(vertx,
        TestInfra.config(GatewaySessionsTest.class.getSimpleName()).with(ConfigKey.BIND_HOST, "127.0.0.1"),
        ServerIdentity.generate(new SecureRandom()), keys, "sessions-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A token issued so that it expires {@code remaining} from now. */
  static SessionToken token(String user, UUID device, Duration remaining) {
    Instant issued = Instant.now().minus(TokenIssuer.SESSION_LIFETIME).plus(remaining);
    return new TokenIssuer(vertx, keys, Clock.fixed(issued, ZoneOffset.UTC)).issue(user, device, false);
  }

  static Envelope resume(RawConnection connection, SessionToken token) throws Exception {
    return connection.request(new AuthToken(token.user(), token.token()).toEnvelope().withId("resume"));
  }

  @Test
  void a_session_resumed_with_a_token_ends_with_token_expired_when_the_token_does() throws Exception {
    UUID device = UUID.randomUUID();
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(device);
      assertThat(resume(connection, token("ada", device, Duration.ofMillis(1500))).statusCode()).contains(StatusCode.LOGIN_OK);

      Envelope pushed = connection.nextPacket();

      assertThat(pushed.id()).isNull();
      assertThat(pushed.statusCode()).contains(StatusCode.TOKEN_EXPIRED);
      assertThat(connection.request(new Envelope("ROOM_LIST", "after", new JsonObject())).statusCode())
          .contains(StatusCode.NOT_AUTHENTICATED);
    }
  }

  @Test
  void a_published_revocation_logs_out_the_sessions_it_covers_and_no_others() throws Exception {
    UUID phone = UUID.randomUUID();
    UUID laptop = UUID.randomUUID();
    try (RawConnection onPhone = RawConnection.open(vertx, gateway.tcpPort());
        RawConnection onLaptop = RawConnection.open(vertx, gateway.tcpPort())) {
      onPhone.handshake(phone);
      onLaptop.handshake(laptop);
      assertThat(resume(onPhone, token("grace", phone, Duration.ofHours(1))).statusCode()).contains(StatusCode.LOGIN_OK);
      assertThat(resume(onLaptop, token("grace", laptop, Duration.ofHours(1))).statusCode()).contains(StatusCode.LOGIN_OK);

      vertx.eventBus().publish(Addresses.EVENTS_SESSIONS_REVOKED, new SessionsRevoked("grace", phone.toString(), null).toJson());

      assertThat(onPhone.nextPacket().statusCode()).contains(StatusCode.LOGGED_OUT);
      Envelope stillIn = onLaptop.request(new Envelope("NO_SUCH_PACKET", "x", new JsonObject()));
      assertThat(stillIn.statusCode()).contains(StatusCode.UNKNOWN_TYPE);
      assertThat(onLaptop.request(new Envelope("LOGOUT", "y", new JsonObject())).statusCode())
          .as("the laptop is still authenticated (LOGOUT goes to the auth service, absent here)")
          .contains(StatusCode.UNAVAILABLE);
    }
  }

  @Test
  void while_the_cache_is_not_known_complete_the_auth_service_decides_and_a_revoked_token_is_refused() throws Exception {
    UUID device = UUID.randomUUID();
    SessionToken token = token("hopper", device, Duration.ofHours(1));
    revoked.add(token.tokenId());
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(device);

      assertThat(resume(connection, token).statusCode()).contains(StatusCode.TOKEN_REFUSED);
    }
  }

  static Envelope push(String marker) {
    return Envelope.of(PacketType.ROOM_EVENT, new JsonObject().put("marker", marker));
  }

  static void broadcast(Envelope packet, List<String> users, UUID skipDevice) {
    vertx.eventBus().publish(Addresses.GATEWAYS_BROADCAST_DELIVER,
        new BroadcastDelivery(packet, users, skipDevice == null ? null : skipDevice.toString()).toJson());
  }

  @Test
  void a_broadcast_delivery_reaches_every_session_of_the_named_users_except_the_device_that_caused_it() throws Exception {
    UUID phone = UUID.randomUUID();
    UUID laptop = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    try (RawConnection onPhone = RawConnection.open(vertx, gateway.tcpPort());
        RawConnection onLaptop = RawConnection.open(vertx, gateway.tcpPort());
        RawConnection outsider = RawConnection.open(vertx, gateway.tcpPort())) {
      onPhone.handshake(phone);
      onLaptop.handshake(laptop);
      outsider.handshake(other);
      assertThat(resume(onPhone, token("lovelace", phone, Duration.ofHours(1))).statusCode()).contains(StatusCode.LOGIN_OK);
      assertThat(resume(onLaptop, token("lovelace", laptop, Duration.ofHours(1))).statusCode()).contains(StatusCode.LOGIN_OK);
      assertThat(resume(outsider, token("babbage", other, Duration.ofHours(1))).statusCode()).contains(StatusCode.LOGIN_OK);

      broadcast(push("first"), List.of("lovelace"), laptop);
      broadcast(push("second"), List.of("lovelace", "babbage"), null);

      assertThat(onPhone.nextPacket().data().getString("marker")).isEqualTo("first");
      assertThat(onPhone.nextPacket().data().getString("marker")).isEqualTo("second");
      assertThat(onLaptop.nextPacket().data().getString("marker")).as("the laptop caused the first, so it gets only the second").isEqualTo("second");
      assertThat(outsider.nextPacket().data().getString("marker")).as("the first did not name babbage").isEqualTo("second");
    }
  }

  @Test
  void when_presence_cannot_be_written_login_ok_is_still_answered_and_the_broadcast_reaches_the_session() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    Gateway.Running noRedis = await(Gateway.deploy(vertx,
        TestInfra.config(GatewaySessionsTest.class.getSimpleName() + "_no_redis")
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.REDIS_URL, "redis://127.0.0.1:" + deadPort + "/0"),
        ServerIdentity.generate(new SecureRandom()), keys, "no-redis-node"));
    UUID device = UUID.randomUUID();
    try (RawConnection connection = RawConnection.open(vertx, noRedis.tcpPort())) {
      connection.handshake(device);

      assertThat(resume(connection, token("hamilton", device, Duration.ofHours(1))).statusCode()).contains(StatusCode.LOGIN_OK);

      broadcast(push("reachable"), List.of("hamilton"), null);
      assertThat(connection.nextPacket().data().getString("marker")).isEqualTo("reachable");
    } finally {
      await(vertx.undeploy(noRedis.deploymentId()));
    }
  }
}
