package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.Replies;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the gateway admits and what it sheds: connection caps per address, per gateway, per account
 * and per device; the handshake frame limit; the deadline for a started frame; the partial-frame
 * budget. Each test uses its own client addresses (127.0.0.x) so their counts never mix.
 */
class GatewayAdmissionTest {
  static final int MAX_FRAME = 256 * 1024;
  static final long FRAME_READ_TIMEOUT_MS = 400;
  static final long PARTIAL_BUDGET = 200 * 1024;

  static Vertx vertx;
  static Gateway.Running gateway;
  static ParleyConfig config;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    config =
        TestInfra.config(GatewayAdmissionTest.class.getSimpleName())
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.MAX_FRAME_BYTES, MAX_FRAME)
            .with(ConfigKey.HANDSHAKE_TIMEOUT_MS, 5000)
            .with(ConfigKey.FRAME_READ_TIMEOUT_MS, FRAME_READ_TIMEOUT_MS)
            .with(ConfigKey.PARTIAL_FRAME_BUDGET_BYTES, PARTIAL_BUDGET)
            .with(ConfigKey.MAX_HANDSHAKES_PER_ADDRESS, 3)
            .with(ConfigKey.MAX_CONNECTIONS_PER_ADDRESS, 5)
            .with(ConfigKey.MAX_CONNECTIONS_PER_DEVICE, 2)
            .with(ConfigKey.MAX_CONNECTIONS_PER_ACCOUNT, 3);
    // A stand-in auth service that logs in whoever asks, as the user named in the LOGIN id.
    await(vertx.eventBus()
        .<BusRequest>consumer(Addresses.AUTH_LOGIN, message -> {
          String user = message.body().packet(Login.class).id();
          message.reply(new BusReply(Replies.loginOk(user), new BusReply.SessionChange(user)));
        })
        .completion());
    gateway = deploy(config, "admission-node");
  }

  static Gateway.Running deploy(ParleyConfig config, String node) throws Exception {
    return await(Gateway.deploy(vertx, config, ServerIdentity.generate(new SecureRandom()), TokenKeys.generate(), node));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Waits for a condition the server reaches asynchronously; polls, never asserts on time. */
  static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(10);
    }
  }

  static Envelope login(String user) {
    return new Envelope("LOGIN", "login", new JsonObject().put("id", user).put("password", "secret123"));
  }

  static StatusCode plaintextStatus(RawConnection connection) throws Exception {
    return new PacketCodec().decode(connection.nextFrame()).statusCode().orElseThrow();
  }

  /**
   * Connects from {@code localAddress}, sends {@code preamble} and reads the one plaintext STATUS a
   * refusal at accept carries. A blocking socket, because the refusal can arrive before an
   * asynchronous client has its handlers in place.
   */
  static StatusCode refusedAtAccept(int port, String localAddress, String preamble) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(preamble.getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      assertThat(in.read()).as("closed after the status").isEqualTo(-1);
      return new PacketCodec().decode(frame).statusCode().orElseThrow();
    }
  }

  @Test
  void an_address_over_its_unfinished_handshakes_is_refused_with_a_plaintext_status_and_a_finished_one_frees_a_slot()
      throws Exception {
    String address = "127.0.0.31";
    List<RawConnection> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(RawConnection.open(vertx, gateway.tcpPort(), address));
      }
      assertThat(refusedAtAccept(gateway.tcpPort(), address, "")).isEqualTo(StatusCode.TOO_MANY_CONNECTIONS);

      assertThat(open.get(0).handshake(UUID.randomUUID()).statusCode()).contains(StatusCode.CONN_OK);

      try (RawConnection next = RawConnection.open(vertx, gateway.tcpPort(), address)) {
        assertThat(next.handshake(UUID.randomUUID()).statusCode()).contains(StatusCode.CONN_OK);
      }
    } finally {
      open.forEach(RawConnection::close);
    }
  }

  @Test
  void an_address_over_its_connections_is_refused_and_its_other_connections_keep_working() throws Exception {
    String address = "127.0.0.32";
    List<RawConnection> open = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        RawConnection connection = RawConnection.open(vertx, gateway.tcpPort(), address);
        open.add(connection);
        connection.handshake(UUID.randomUUID());
      }

      assertThat(refusedAtAccept(gateway.tcpPort(), address, "")).isEqualTo(StatusCode.TOO_MANY_CONNECTIONS);
      assertThat(open.get(4).request(new Envelope("NO_SUCH_PACKET", "still", new JsonObject())).statusCode())
          .contains(StatusCode.UNKNOWN_TYPE);
    } finally {
      open.forEach(RawConnection::close);
    }
  }

  @Test
  void over_the_gateway_handshake_cap_the_oldest_unfinished_handshake_makes_room_for_a_newcomer() throws Exception {
    Gateway.Running small = deploy(config.with(ConfigKey.MAX_HANDSHAKES, 4), "handshake-cap-node");
    List<RawConnection> silent = new ArrayList<>();
    try {
      for (int i = 1; i <= 4; i++) {
        silent.add(RawConnection.open(vertx, small.tcpPort(), "127.0.0.4" + i));
        int admitted = i;
        eventually(() -> small.stats().handshakes() == admitted);
      }

      try (RawConnection newcomer = RawConnection.open(vertx, small.tcpPort(), "127.0.0.49")) {
        assertThat(plaintextStatus(silent.get(0))).isEqualTo(StatusCode.SERVER_BUSY);
        assertThat(silent.get(0).awaitClosed()).isTrue();
        assertThat(newcomer.handshake(UUID.randomUUID()).statusCode()).contains(StatusCode.CONN_OK);
      }
      assertThat(silent.get(1).isClosed()).isFalse();
    } finally {
      silent.forEach(RawConnection::close);
      await(vertx.undeploy(small.deploymentId()));
    }
  }

  @Test
  void shedding_takes_the_slot_of_an_address_that_holds_several_before_a_lone_client() throws Exception {
    Gateway.Running small = deploy(config.with(ConfigKey.MAX_HANDSHAKES, 3), "hoarder-node");
    List<RawConnection> open = new ArrayList<>();
    try {
      RawConnection lone = RawConnection.open(vertx, small.tcpPort(), "127.0.0.61");
      open.add(lone);
      eventually(() -> small.stats().handshakes() == 1);
      for (int i = 0; i < 2; i++) {
        open.add(RawConnection.open(vertx, small.tcpPort(), "127.0.0.62"));
        int admitted = i + 2;
        eventually(() -> small.stats().handshakes() == admitted);
      }

      RawConnection newcomer = RawConnection.open(vertx, small.tcpPort(), "127.0.0.63");
      open.add(newcomer);

      assertThat(plaintextStatus(open.get(1))).as("the hoarder's oldest").isEqualTo(StatusCode.SERVER_BUSY);
      assertThat(lone.handshake(UUID.randomUUID()).statusCode()).as("the lone client, though oldest").contains(StatusCode.CONN_OK);
      assertThat(newcomer.handshake(UUID.randomUUID()).statusCode()).contains(StatusCode.CONN_OK);
    } finally {
      open.forEach(RawConnection::close);
      await(vertx.undeploy(small.deploymentId()));
    }
  }

  @Test
  void a_handshake_frame_announcing_more_than_the_handshake_limit_is_refused_before_its_payload() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort(), "127.0.0.33")) {
      connection.sendBytes(Buffer.buffer().appendInt(MAX_FRAME));

      assertThat(plaintextStatus(connection)).isEqualTo(StatusCode.TOO_LARGE);
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void a_record_started_and_not_finished_is_closed_with_frame_timeout() throws Exception {
    try (RawConnection connection = RawConnection.open(vertx, gateway.tcpPort(), "127.0.0.34")) {
      connection.handshake(UUID.randomUUID());
      connection.sendBytes(Buffer.buffer().appendInt(1000).appendBytes(new byte[10]));

      Envelope status = connection.nextPacket();

      assertThat(status.statusCode()).contains(StatusCode.FRAME_TIMEOUT);
      assertThat(connection.awaitClosed()).isTrue();
    }
  }

  @Test
  void a_websocket_message_started_and_not_finished_is_closed_with_frame_timeout() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    WebSocket socket = await(client.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(gateway.wsPort()).setURI(GatewayVerticle.WEBSOCKET_PATH)));
    socket.textMessageHandler(texts::add);
    try {
      socket.writeFrame(WebSocketFrame.textFrame("{\"type\":\"CONN_INIT\",", false));

      String status = texts.poll(10, TimeUnit.SECONDS);

      assertThat(status).isNotNull();
      assertThat(new PacketCodec().decode(status.getBytes(StandardCharsets.UTF_8)).statusCode()).contains(StatusCode.FRAME_TIMEOUT);
    } finally {
      client.close();
    }
  }

  @Test
  void over_the_partial_frame_budget_the_connection_holding_the_oldest_partial_frame_is_closed_first() throws Exception {
    try (RawConnection older = RawConnection.open(vertx, gateway.tcpPort(), "127.0.0.35");
        RawConnection newer = RawConnection.open(vertx, gateway.tcpPort(), "127.0.0.36")) {
      older.handshake(UUID.randomUUID());
      newer.handshake(UUID.randomUUID());
      // A real record of ~180 KiB: an over-long LOGIN that the gateway answers with BAD_PACKET.
      byte[] record = newer.seal(new Envelope("LOGIN", "big", new JsonObject().put("id", "x".repeat(180 * 1024)).put("password", "p")));
      Buffer wire = FrameDecoder.encode(record);

      older.sendBytes(Buffer.buffer().appendInt(MAX_FRAME - 1).appendBytes(new byte[80 * 1024]));
      eventually(() -> gateway.stats().partialFrameBytes() >= 80 * 1024);
      newer.sendBytes(wire.getBuffer(0, 100 * 1024));

      assertThat(older.nextPacket().statusCode()).contains(StatusCode.SERVER_BUSY);
      assertThat(older.awaitClosed()).isTrue();

      newer.sendBytes(wire.getBuffer(100 * 1024, wire.length()));
      Envelope reply = newer.nextPacket();
      assertThat(reply.id()).isEqualTo("big");
      assertThat(reply.statusCode()).contains(StatusCode.BAD_PACKET);
    }
    eventually(() -> gateway.stats().partialFrameBytes() == 0);
  }

  @Test
  void a_device_over_its_cap_keeps_its_newest_connection_and_an_account_over_its_cap_is_refused_but_stays_connected()
      throws Exception {
    UUID phone = UUID.randomUUID();
    List<RawConnection> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RawConnection connection = RawConnection.open(vertx, gateway.tcpPort(), "127.0.0.37");
        open.add(connection);
        connection.handshake(phone);
        assertThat(connection.request(login("carol")).statusCode()).contains(StatusCode.LOGIN_OK);
      }
      // Device cap 2: the third login of the same device closed the first.
      assertThat(open.get(0).nextPacket().statusCode()).contains(StatusCode.TOO_MANY_CONNECTIONS);
      assertThat(open.get(0).awaitClosed()).isTrue();

      // Account cap 3: two live on the phone, one more device fits, the next does not.
      RawConnection laptop = RawConnection.open(vertx, gateway.tcpPort(), "127.0.0.37");
      open.add(laptop);
      laptop.handshake(UUID.randomUUID());
      assertThat(laptop.request(login("carol")).statusCode()).contains(StatusCode.LOGIN_OK);
      RawConnection tablet = RawConnection.open(vertx, gateway.tcpPort(), "127.0.0.38");
      open.add(tablet);
      tablet.handshake(UUID.randomUUID());

      assertThat(tablet.request(login("carol")).statusCode()).contains(StatusCode.TOO_MANY_CONNECTIONS);
      assertThat(tablet.request(new Envelope("NO_SUCH_PACKET", "still", new JsonObject())).statusCode())
          .contains(StatusCode.UNKNOWN_TYPE);
    } finally {
      open.forEach(RawConnection::close);
    }
  }

  @Test
  void behind_a_proxy_the_limits_count_the_address_the_proxy_protocol_header_names() throws Exception {
    Gateway.Running proxied = deploy(config.with(ConfigKey.PROXY_PROTOCOL, true).with(ConfigKey.MAX_HANDSHAKES_PER_ADDRESS, 1), "proxy-node");
    // Three different real sources; the first two claim the same client behind the proxy.
    try (RawConnection first = RawConnection.open(vertx, proxied.tcpPort(), "127.0.0.51");
        RawConnection otherClient = RawConnection.open(vertx, proxied.tcpPort(), "127.0.0.53")) {
      first.sendBytes(Buffer.buffer("PROXY TCP4 198.51.100.7 127.0.0.1 40000 7400\r\n"));
      eventually(() -> proxied.stats().handshakes() == 1);

      assertThat(refusedAtAccept(proxied.tcpPort(), "127.0.0.52", "PROXY TCP4 198.51.100.7 127.0.0.1 40001 7400\r\n"))
          .isEqualTo(StatusCode.TOO_MANY_CONNECTIONS);
      otherClient.sendBytes(Buffer.buffer("PROXY TCP4 198.51.100.8 127.0.0.1 40002 7400\r\n"));
      assertThat(otherClient.handshake(UUID.randomUUID()).statusCode()).contains(StatusCode.CONN_OK);
    } finally {
      await(vertx.undeploy(proxied.deploymentId()));
    }
  }
}
