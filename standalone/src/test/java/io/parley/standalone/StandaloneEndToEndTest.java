package io.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ClientOptions;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first real path end to end: the standalone server against real PostgreSQL and Redis, reached
 * through the Java client over TCP and WebSocket.
 */
class StandaloneEndToEndTest {
  static Standalone parley;
  @TempDir static Path clientHome;

  @BeforeAll
  static void start() throws Exception {
    parley = Standalone.start(TestInfra.config(StandaloneEndToEndTest.class.getSimpleName()).with(ConfigKey.BIND_HOST, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    parley.close();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  ClientOptions tcp() {
    return ClientOptions.tcp("127.0.0.1", parley.tcpPort(), UUID.randomUUID())
        .withPinnedFingerprint(parley.fingerprint());
  }

  @Test
  void over_tcp_a_client_completes_the_handshake_and_a_service_answers_through_the_bus() throws Exception {
    ParleyConnection connection = await(ParleyClient.connect(parley.vertx(), tcp()));
    try {
      assertThat(connection.serverFingerprint()).isEqualTo(parley.fingerprint());

      Envelope reply = await(connection.request(new Envelope("SIGNUP", "s1", signup("tcp_user"))));

      // The auth service checked PostgreSQL, hashed the password, parked the signup in Redis and
      // answered over the bus with the captcha to solve.
      assertThat(reply.id()).isEqualTo("s1");
      assertThat(reply.is(PacketType.CAPTCHA)).isTrue();
      assertThat(reply.data().getJsonObject("challenge").getString("kind")).isNotBlank();
    } finally {
      await(connection.close());
    }
  }

  @Test
  void over_websocket_a_client_completes_the_handshake_and_gets_its_reply() throws Exception {
    ClientOptions options =
        ClientOptions.webSocket("127.0.0.1", parley.wsPort(), UUID.randomUUID())
            .withKnownServersFile(clientHome.resolve("known_servers"));
    ParleyConnection connection = await(ParleyClient.connect(parley.vertx(), options));
    try {
      assertThat(connection.trustedOnFirstUse()).isTrue();

      Envelope reply = await(connection.request(PacketType.SIGNUP, signup("ws_user")));

      assertThat(reply.is(PacketType.CAPTCHA)).isTrue();
    } finally {
      await(connection.close());
    }
  }

  @Test
  void requests_are_pipelined_and_each_reply_matches_its_id() throws Exception {
    ParleyConnection connection = await(ParleyClient.connect(parley.vertx(), tcp()));
    try {
      List<Future<Envelope>> replies = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        replies.add(connection.request(new Envelope("ROOM_LIST", "p" + i, new JsonObject())));
      }
      for (int i = 0; i < 20; i++) {
        assertThat(await(replies.get(i)).id()).isEqualTo("p" + i);
      }
    } finally {
      await(connection.close());
    }
  }

  @Test
  void a_changed_server_identity_aborts_the_connection() throws Exception {
    ClientOptions pinnedElsewhere = tcp().withPinnedFingerprint("00".repeat(32));

    Throwable failure =
        ParleyClient.connect(parley.vertx(), pinnedElsewhere).toCompletionStage().toCompletableFuture()
            .handle((connection, error) -> error).get(15, TimeUnit.SECONDS);

    assertThat(failure).isInstanceOf(io.parley.client.IdentityMismatchException.class);
    assertThat(failure.getMessage()).contains(parley.fingerprint());
  }

  @Test
  void every_service_applied_its_migrations_to_its_own_schema() throws Exception {
    Pool pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(parley.config().get(ConfigKey.PG_URL)))
            .using(parley.vertx())
            .build();
    try {
      for (String schema : List.of("auth", "room", "message")) {
        Row row =
            await(pool.query("SELECT max(version) AS v FROM " + schema + ".schema_migrations").execute())
                .iterator().next();
        assertThat(row.getInteger("v")).as(schema).isGreaterThanOrEqualTo(1);
      }
    } finally {
      await(pool.close());
    }
  }

  @Test
  void health_and_metrics_endpoints_answer() throws Exception {
    var http = parley.vertx().createHttpClient();
    try {
      for (String path : List.of("/health/live", "/health/ready")) {
        int status = await(http.request(io.vertx.core.http.HttpMethod.GET, parley.httpPort(), "127.0.0.1", path)
            .compose(request -> request.send()).map(io.vertx.core.http.HttpClientResponse::statusCode));
        assertThat(status).as(path).isEqualTo(200);
      }
      String metrics = await(http.request(io.vertx.core.http.HttpMethod.GET, parley.httpPort(), "127.0.0.1", "/metrics")
          .compose(request -> request.send()).compose(io.vertx.core.http.HttpClientResponse::body)).toString();
      assertThat(metrics).contains("vertx_eventbus_").contains("parley_");
    } finally {
      await(http.close());
    }
  }

  static JsonObject signup(String user) {
    return new JsonObject()
        .put("user", user)
        .put("email", user + "@example.org")
        .put("fullname", "Alice Example")
        .put("dob", "1990-04-01")
        .put("password", "correct horse battery");
  }
}
