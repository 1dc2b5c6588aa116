package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ClientOptions;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.Signup;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's edge: framing, handshake, records, validation and dispatch. The owning services are
 * replaced by bus consumers that echo what they were sent, so each test isolates one gateway rule;
 * the whole path with the real services and databases is tested in the standalone module.
 */
class GatewayProtocolTest {
  static final int MAX_FRAME = 4096;
  static final long HANDSHAKE_TIMEOUT_MS = 400;

  static Vertx vertx;
  static Gateway.Running gateway;
  static ServerIdentity identity;
  static final AtomicReference<BusRequest> lastSignup = new AtomicReference<>();

  @TempDir static Path home;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    identity = ServerIdentity.fromSeed(seed);
    ParleyConfig config =
        TestInfra.config(GatewayProtocolTest.class.getSimpleName())
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.MAX_FRAME_BYTES, MAX_FRAME)
            .with(ConfigKey.HANDSHAKE_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS)
            .with(ConfigKey.BUS_TIMEOUT_MS, 2000);
    // A stand-in auth service: remembers what the gateway sent and answers with a fixed status.
    vertx.eventBus()
        .<BusRequest>consumer(
            Addresses.AUTH_SIGNUP,
            message -> {
              lastSignup.set(message.body());
              message.reply(BusReply.of(Envelope.status(StatusCode.NOT_IMPLEMENTED, "stand-in")));
            })
        .completion()
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    gateway = await(Gateway.deploy(vertx, config, identity, TokenKeys.generate(), "test-node"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static JsonObject validSignup() {
    return new JsonObject()
        .put("user", "alice")
        .put("email", "alice@example.org")
        .put("fullname", "Alice Example")
        .put("dob", "1990-04-01")
        .put("password", "correct horse battery");
  }

  @Test
  void a_client_completes_the_handshake_over_tcp_and_gets_its_reply_by_id() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      Envelope confirmation = connection.handshake(UUID.randomUUID());
      assertThat(confirmation.statusCode()).contains(StatusCode.CONN_OK);

      Envelope reply = connection.request(new Envelope("SIGNUP", "req-1", validSignup()));

      assertThat(reply.id()).isEqualTo("req-1");
      assertThat(reply.statusCode()).contains(StatusCode.NOT_IMPLEMENTED);
    }
  }

  @Test
  void the_sdk_connects_over_websocket_and_pins_the_identity_on_first_use() throws Exception {
    ClientOptions options =
        ClientOptions.webSocket("127.0.0.1", gateway.wsPort(), UUID.randomUUID())
            .withKnownServersFile(home.resolve("ws-known"));
    ParleyConnection connection = await(ParleyClient.connect(vertx, options));
    try {
      assertThat(connection.trustedOnFirstUse()).isTrue();
      assertThat(connection.serverFingerprint()).isEqualTo(identity.fingerprint());

      Envelope reply = await(connection.request(PacketType.SIGNUP, validSignup()));

      assertThat(reply.statusCode()).contains(StatusCode.NOT_IMPLEMENTED);
    } finally {
      await(connection.close());
    }
    ParleyConnection second = await(ParleyClient.connect(vertx, options));
    assertThat(second.trustedOnFirstUse()).isFalse();
    await(second.close());
  }

  @Test
  void the_gateway_vouches_for_device_and_connection_on_the_bus() throws Exception {
    UUID device = UUID.randomUUID();
    ParleyConnection connection =
        await(ParleyClient.connect(vertx, ClientOptions.tcp("127.0.0.1", gateway.tcpPort(), device)
            .withKnownServersFile(home.resolve("tcp-known"))));
    Envelope reply = await(connection.request(new Envelope("SIGNUP", "vouch-1", validSignup())));
    await(connection.close());

    assertThat(reply.id()).isEqualTo("vouch-1");
    BusRequest seen = lastSignup.get();
    assertThat(seen.requestId()).isEqualTo("vouch-1");
    assertThat(seen.device()).isEqualTo(device.toString());
    assertThat(seen.node()).isEqualTo("test-node");
    assertThat(seen.user()).isNull();
    assertThat(seen.connection()).isNotBlank();
    assertThat(seen.packet(Signup.class).user()).isEqualTo("alice");
  }

  @Test
  void a_frame_longer_than_the_limit_closes_the_connection_before_its_payload_is_read() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.sendBytes(Buffer.buffer().appendInt(MAX_FRAME + 1));

      Envelope status = connection.nextPlaintextPacket();

      assertThat(status.statusCode()).contains(StatusCode.TOO_LARGE);
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void a_frame_of_exactly_the_limit_is_read() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      byte[] payload = new byte[MAX_FRAME];
      Arrays.fill(payload, (byte) ' ');
      connection.sendFrame(payload);

      // Read whole, then refused as a handshake frame (blank is not CONN_INIT), not as too large.
      Envelope status = connection.nextPlaintextPacket();
      assertThat(status.statusCode()).contains(StatusCode.HANDSHAKE_FAILED);
    }
  }

  @Test
  void non_json_during_the_handshake_closes_with_a_reason() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.sendFrame("hello?".getBytes(StandardCharsets.UTF_8));

      Envelope status = connection.nextPlaintextPacket();

      assertThat(status.statusCode()).contains(StatusCode.HANDSHAKE_FAILED);
      assertThat(status.data().getString("desc")).isNotBlank();
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void an_unexpected_packet_type_during_the_handshake_closes_with_a_reason() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.sendFrame(new Envelope("LOGIN", null, new JsonObject()).toJson().toBuffer().getBytes());

      Envelope status = connection.nextPlaintextPacket();

      assertThat(status.statusCode()).contains(StatusCode.HANDSHAKE_FAILED);
      assertThat(status.data().getString("desc")).contains("CONN_INIT");
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void a_token_in_conn_init_is_refused() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      JsonObject init =
          new JsonObject()
              .put("type", "CONN_INIT")
              .put(
                  "data",
                  new JsonObject()
                      .put("uuid", UUID.randomUUID().toString())
                      .put("token", "secret-token")
                      .put("nonce", java.util.Base64.getEncoder().encodeToString(new byte[32])));
      connection.sendFrame(init.toBuffer().getBytes());

      Envelope status = connection.nextPlaintextPacket();

      assertThat(status.statusCode()).contains(StatusCode.HANDSHAKE_FAILED);
      assertThat(status.data().getString("desc")).contains("token");
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void a_record_with_one_byte_flipped_closes_the_connection() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());
      byte[] record = connection.seal(new Envelope("SIGNUP", "1", validSignup()));
      record[record.length / 2] ^= 0x01;
      connection.sendFrame(record);

      assertThat(connection.nextPacket().statusCode()).contains(StatusCode.PROTOCOL_ERROR);
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void a_replayed_record_closes_the_connection() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());
      byte[] record = connection.seal(new Envelope("SIGNUP", "1", validSignup()));
      connection.sendFrame(record);
      assertThat(connection.nextPacket().id()).isEqualTo("1");

      connection.sendFrame(record);

      assertThat(connection.nextPacket().statusCode()).contains(StatusCode.PROTOCOL_ERROR);
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void a_skipped_record_closes_the_connection() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());
      connection.seal(new Envelope("SIGNUP", "1", validSignup())); // sealed, never sent
      connection.sendFrame(connection.seal(new Envelope("SIGNUP", "2", validSignup())));

      assertThat(connection.nextPacket().statusCode()).contains(StatusCode.PROTOCOL_ERROR);
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void malformed_json_inside_a_valid_record_closes_the_connection() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());
      connection.sendFrame(connectionSealRaw(connection, "{\"type\":"));

      assertThat(connection.nextPacket().statusCode()).contains(StatusCode.PROTOCOL_ERROR);
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  private static byte[] connectionSealRaw(RawConnection connection, String text) throws Exception {
    return connection.sealBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_client_that_stalls_in_the_handshake_is_closed_after_the_timeout() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      long started = System.nanoTime();

      Envelope status = connection.nextPlaintextPacket();

      assertThat(status.statusCode()).contains(StatusCode.HANDSHAKE_TIMEOUT);
      assertThat(connection.awaitClosed()).isTrue();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT_MS - 50);
    }
  }

  @Test
  void a_bad_field_gets_bad_packet_naming_it_and_the_connection_stays_usable() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());

      Envelope refused = connection.request(new Envelope("SIGNUP", "bad", validSignup().put("dob", "not-a-date")));

      assertThat(refused.id()).isEqualTo("bad");
      assertThat(refused.statusCode()).contains(StatusCode.BAD_PACKET);
      assertThat(refused.data().getString("desc")).startsWith("dob");

      Envelope next = connection.request(new Envelope("SIGNUP", "good", validSignup()));
      assertThat(next.id()).isEqualTo("good");
      assertThat(next.statusCode()).contains(StatusCode.NOT_IMPLEMENTED);
    }
  }

  @Test
  void an_unknown_type_gets_unknown_type_and_the_connection_stays_usable() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());

      assertThat(connection.request(new Envelope("TELEPORT", "t", new JsonObject())).statusCode())
          .contains(StatusCode.UNKNOWN_TYPE);
      assertThat(connection.request(new Envelope("CONN_ENCRYPT_S", "s", new JsonObject())).statusCode())
          .contains(StatusCode.UNKNOWN_TYPE);
      assertThat(connection.request(new Envelope("SIGNUP", "ok", validSignup())).statusCode())
          .contains(StatusCode.NOT_IMPLEMENTED);
    }
  }

  @Test
  void room_and_message_packets_need_an_authenticated_connection() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());

      Envelope reply = connection.request(new Envelope("ROOM_LIST", "l", new JsonObject()));

      assertThat(reply.statusCode()).contains(StatusCode.NOT_AUTHENTICATED);
    }
  }

  @Test
  void a_request_for_a_service_that_is_not_running_gets_unavailable() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());

      Envelope reply = connection.request(new Envelope("LOGIN", "x", new JsonObject().put("id", "alice").put("password", "secret123")));

      assertThat(reply.id()).isEqualTo("x");
      assertThat(reply.statusCode()).contains(StatusCode.UNAVAILABLE);
    }
  }

  @Test
  void an_envelope_with_an_overlong_id_gets_bad_packet() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort())) {
      connection.handshake(UUID.randomUUID());

      Envelope reply = connection.request(new Envelope("SIGNUP", "x".repeat(65), validSignup()));

      assertThat(reply.statusCode()).contains(StatusCode.BAD_PACKET);
      assertThat(reply.data().getString("desc")).startsWith("id");
    }
  }

  @Test
  void the_websocket_endpoint_lives_at_ws_only() throws Exception {
    var client = vertx.createWebSocketClient();
    try {
      Throwable failure =
          client.connect(gateway.wsPort(), "127.0.0.1", "/other").toCompletionStage().toCompletableFuture()
              .handle((ws, error) -> error).get(10, TimeUnit.SECONDS);
      assertThat(failure).isNotNull();
    } finally {
      await(client.close());
    }
  }

  @Test
  void a_handshake_frame_sent_as_a_binary_websocket_message_is_refused() throws Exception {
    var client = vertx.createWebSocketClient();
    try {
      var socket = await(client.connect(gateway.wsPort(), "127.0.0.1", GatewayVerticle.WEBSOCKET_PATH));
      java.util.concurrent.CompletableFuture<String> status = new java.util.concurrent.CompletableFuture<>();
      socket.textMessageHandler(status::complete);
      byte[] init = new io.parley.shared.channel.ClientHandshake(UUID.randomUUID(), new java.security.SecureRandom(), 16).init();

      socket.writeBinaryMessage(Buffer.buffer(init));

      Envelope refused = Envelope.fromJson(new JsonObject(status.get(10, TimeUnit.SECONDS)));
      assertThat(refused.statusCode()).contains(StatusCode.HANDSHAKE_FAILED);
      assertThat(refused.data().getString("desc")).contains("text");
    } finally {
      await(client.close());
    }
  }

  @Test
  void frame_encoding_is_a_big_endian_length_prefix() {
    Buffer frame = FrameDecoder.encode(new byte[] {1, 2, 3});
    assertThat(frame.getInt(0)).isEqualTo(3);
    assertThat(frame.length()).isEqualTo(7);
  }
}
