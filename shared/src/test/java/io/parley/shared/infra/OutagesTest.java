package io.parley.shared.infra;

import static io.parley.testing.Futures.await;
import static io.parley.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which failures are an outage (UNAVAILABLE, retry) and which are bugs (INTERNAL_ERROR). */
class OutagesTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void postgres_not_listening_is_an_outage() throws Exception {
    Pool pool = PgBuilder.pool()
        .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(closedPort()).setUser("postgres").setDatabase("parley"))
        .using(vertx).build();
    try {
      Throwable failure = awaitFailure(pool.query("SELECT 1").execute());
      assertThat(Outages.isOutage(failure)).as(failure.toString()).isTrue();
    } finally {
      await(pool.close());
    }
  }

  @Test
  void redis_not_listening_is_an_outage() throws Exception {
    Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:" + closedPort() + "/0");
    try {
      Throwable failure = awaitFailure(redis.send(Request.cmd(Command.PING)));
      assertThat(Outages.isOutage(failure)).as(failure.toString()).isTrue();
    } finally {
      await(redis.close());
    }
  }

  @Test
  void a_failing_statement_on_a_live_server_is_not_an_outage() {
    Pool pool = PgBuilder.pool()
        .connectingTo(PgConnectOptions.fromUri(TestInfra.config(OutagesTest.class.getSimpleName()).get(io.parley.shared.config.ConfigKey.PG_URL)))
        .using(vertx).build();
    try {
      Throwable failure = awaitFailure(pool.query("SELECT * FROM no_such_table").execute());
      assertThat(Outages.isOutage(failure)).as(failure.toString()).isFalse();
    } finally {
      await(pool.close());
    }
  }

  @Test
  void postgres_states_that_mean_come_back_later_are_outages() {
    for (String state : new String[] {"08006", "08001", "53300", "57P01", "57P02", "57P03"}) {
      assertThat(Outages.isOutage(new PgException("m", "FATAL", state, null))).as(state).isTrue();
    }
    for (String state : new String[] {"23505", "42P01", "40001", "22001"}) {
      assertThat(Outages.isOutage(new PgException("m", "ERROR", state, null))).as(state).isFalse();
    }
  }

  @Test
  void bugs_are_not_outages_and_wrapped_outages_are() {
    assertThat(Outages.isOutage(new NullPointerException())).isFalse();
    assertThat(Outages.isOutage(new IllegalStateException("bug"))).isFalse();
    assertThat(Outages.isOutage(null)).isFalse();
    assertThat(Outages.isOutage(new CompletionException(new java.net.ConnectException("refused")))).isTrue();
    assertThat(Outages.isOutage(new IllegalStateException("wrapped", new java.util.concurrent.TimeoutException()))).isTrue();
  }

  @Test
  void a_peer_whose_dependency_is_down_or_that_did_not_answer_is_an_outage() {
    assertThat(Outages.isOutage(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Outages.DEPENDENCY_UNAVAILABLE, "x"))).isTrue();
    assertThat(Outages.isOutage(new ReplyException(ReplyFailure.TIMEOUT, "x"))).isTrue();
    assertThat(Outages.isOutage(new ReplyException(ReplyFailure.NO_HANDLERS, "x"))).isTrue();
    assertThat(Outages.isOutage(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "correlation id"))).isFalse();
  }

  /** A loopback port nothing listens on (bound, then released). */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
