package io.parley.client.e2e;

import static io.parley.client.e2e.ParleyChat.ConnectionState.CONNECTED;
import static io.parley.client.e2e.ParleyChat.ConnectionState.DISCONNECTED;
import static io.parley.client.e2e.ParleyChat.ConnectionState.FAILED;
import static io.parley.client.e2e.ParleyChat.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.IdentityMismatchException;
import io.parley.client.ParleyStatusException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * Connect, resume, reconnect and backoff against scripted connections. The scheduler only records
 * the delays it is asked for and the test fires the timers, so no test waits for time to pass.
 */
class ConnectionSupervisorTest {
  /** A scripted connection: the test ends it. */
  static final class FakeConnection {
    final int number;
    final Promise<Void> closed = Promise.promise();

    FakeConnection(int number) {
      this.number = number;
    }

    void drop() {
      closed.tryComplete();
    }
  }

  final class ScriptedLine implements ConnectionSupervisor.Line<FakeConnection> {
    /** Outcomes of the next dials; an empty queue dials successfully. */
    final Queue<Throwable> dialFailures = new ArrayDeque<>();
    /** Outcomes of the next resumes; an empty queue resumes successfully. */
    final Queue<Throwable> resumeFailures = new ArrayDeque<>();
    final List<FakeConnection> dialed = new ArrayList<>();
    final List<Promise<Void>> catchUps = new ArrayList<>();
    final List<FakeConnection> hungUp = new ArrayList<>();
    boolean sessionSaved = true;

    @Override
    public Future<FakeConnection> dial() {
      Throwable failure = dialFailures.poll();
      if (failure != null) {
        return Future.failedFuture(failure);
      }
      FakeConnection conn = new FakeConnection(dialed.size() + 1);
      dialed.add(conn);
      return Future.succeededFuture(conn);
    }

    @Override
    public Future<Boolean> resume(FakeConnection connection) {
      Throwable failure = resumeFailures.poll();
      return failure != null ? Future.failedFuture(failure) : Future.succeededFuture(sessionSaved);
    }

    @Override
    public Future<Void> catchUp() {
      Promise<Void> catchUp = Promise.promise();
      catchUps.add(catchUp);
      return catchUp.future();
    }

    @Override
    public Future<?> closed(FakeConnection connection) {
      return connection.closed.future();
    }

    @Override
    public Future<Void> hangUp(FakeConnection connection) {
      hungUp.add(connection);
      connection.drop();
      return Future.succeededFuture();
    }

    @Override
    public boolean mayReconnect() {
      return sessionSaved;
    }

    FakeConnection last() {
      return dialed.get(dialed.size() - 1);
    }

    void finishCatchUps() {
      catchUps.forEach(Promise::tryComplete);
    }
  }

  final ScriptedLine line = new ScriptedLine();
  final List<Long> delays = new ArrayList<>();
  final Queue<Runnable> timers = new ArrayDeque<>();
  final List<ParleyChat.ConnectionState> states = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();
  final ConnectionSupervisor<FakeConnection> supervisor = new ConnectionSupervisor<>(line, (delayMs, action) -> {
    delays.add(delayMs);
    timers.add(action);
  }, states::add, warnings::add);

  FakeConnection connected() {
    Future<FakeConnection> connect = supervisor.connect();
    line.finishCatchUps();
    assertThat(connect.succeeded()).isTrue();
    return connect.result();
  }

  void fireTimer() {
    assertThat(timers).as("a scheduled reconnect").isNotEmpty();
    timers.remove().run();
  }

  static ParleyStatusException tokenRefused() {
    return new ParleyStatusException(Envelope.status(StatusCode.TOKEN_REFUSED, "expired"));
  }

  @Test
  void connect_resumes_the_saved_session_and_completes_after_the_catch_up() {
    Future<FakeConnection> connect = supervisor.connect();
    assertThat(states).containsExactly(CONNECTED);
    assertThat(connect.isComplete()).isFalse();
    line.finishCatchUps();
    assertThat(connect.result()).isSameAs(line.last());
    assertThat(supervisor.current()).isSameAs(line.last());
  }

  @Test
  void connect_without_a_saved_session_neither_resumes_nor_catches_up() {
    line.sessionSaved = false;
    assertThat(supervisor.connect().succeeded()).isTrue();
    assertThat(states).isEmpty();
    assertThat(line.catchUps).isEmpty();
  }

  @Test
  void a_lost_connection_is_replaced_with_doubling_delays_back_to_the_minimum_after_a_resume() {
    connected().drop();
    line.dialFailures.add(new IllegalStateException("connection refused"));
    line.dialFailures.add(new IllegalStateException("connection refused"));
    fireTimer();
    fireTimer();
    fireTimer();
    assertThat(delays).containsExactly(200L, 400L, 800L);
    assertThat(states).containsExactly(CONNECTED, DISCONNECTED, RECONNECTING, RECONNECTING, RECONNECTING, CONNECTED);
    assertThat(line.catchUps).hasSize(2);
    assertThat(supervisor.current()).isSameAs(line.last());
    assertThat(supervisor.lastFailure()).get().extracting(Throwable::getMessage).isEqualTo("connection refused");

    line.last().drop();
    assertThat(delays).endsWith(ConnectionSupervisor.RECONNECT_MIN_MS);
  }

  @Test
  void the_delay_stops_growing_at_the_maximum() {
    connected().drop();
    for (int i = 0; i < 10; i++) {
      line.dialFailures.add(new IllegalStateException("connection refused"));
      fireTimer();
    }
    assertThat(delays).startsWith(200L, 400L, 800L).endsWith(10_000L, 10_000L, 10_000L).allMatch(d -> d <= ConnectionSupervisor.RECONNECT_MAX_MS);
  }

  @Test
  void a_connection_lost_in_the_middle_of_the_catch_up_is_replaced_and_the_catch_up_runs_again() {
    connected().drop();
    fireTimer();
    FakeConnection second = line.last();
    assertThat(line.catchUps).hasSize(2);
    // The second connection drops while its catch-up is still syncing; that sync fails.
    second.drop();
    line.catchUps.get(1).fail(new IllegalStateException("connection closed"));
    assertThat(timers).hasSize(1);
    fireTimer();
    assertThat(line.dialed).hasSize(3);
    assertThat(line.catchUps).hasSize(3);
    assertThat(states).containsExactly(CONNECTED, DISCONNECTED, RECONNECTING, CONNECTED, DISCONNECTED, RECONNECTING, CONNECTED);
    assertThat(supervisor.current()).isSameAs(line.last());
    assertThat(timers).isEmpty();
  }

  @Test
  void a_changed_server_identity_stops_reconnecting_with_a_warning() {
    connected().drop();
    line.dialFailures.add(new IdentityMismatchException("127.0.0.1:7400", "aa", "bb"));
    fireTimer();
    assertThat(states).endsWith(RECONNECTING, FAILED);
    assertThat(warnings).singleElement().asString().contains("server identity of 127.0.0.1:7400 changed");
    assertThat(timers).isEmpty();
  }

  @Test
  void a_refused_session_stops_reconnecting_and_keeps_the_connection_for_a_new_login() {
    connected().drop();
    line.resumeFailures.add(tokenRefused());
    fireTimer();
    assertThat(states).endsWith(RECONNECTING, FAILED);
    assertThat(warnings).singleElement().asString().contains("TOKEN_REFUSED");
    assertThat(line.hungUp).isEmpty();
    assertThat(timers).isEmpty();
  }

  @Test
  void a_resume_that_fails_for_another_reason_hangs_up_and_tries_again_once() {
    connected().drop();
    line.resumeFailures.add(new ParleyStatusException(Envelope.status(StatusCode.UNAVAILABLE, "auth is restarting")));
    fireTimer();
    assertThat(line.hungUp).containsExactly(line.dialed.get(1));
    assertThat(timers).hasSize(1);
    fireTimer();
    assertThat(states).endsWith(RECONNECTING, CONNECTED);
    assertThat(line.dialed).hasSize(3);
  }

  @Test
  void close_ends_the_connection_and_stops_reconnecting() {
    FakeConnection conn = connected();
    conn.drop();
    assertThat(timers).hasSize(1);
    assertThat(supervisor.close().succeeded()).isTrue();
    fireTimer();
    assertThat(line.dialed).hasSize(1);

    FakeConnection again = connected();
    assertThat(supervisor.close().succeeded()).isTrue();
    assertThat(line.hungUp).endsWith(again);
    assertThat(states).containsExactly(CONNECTED, DISCONNECTED, CONNECTED);
    assertThat(timers).isEmpty();
  }

  @Test
  void a_lost_connection_without_a_saved_session_is_reported_but_not_replaced() {
    FakeConnection conn = connected();
    line.sessionSaved = false;
    conn.drop();
    assertThat(states).containsExactly(CONNECTED, DISCONNECTED);
    assertThat(timers).isEmpty();
  }

  @Test
  void the_close_of_a_replaced_connection_is_ignored() {
    FakeConnection first = connected();
    FakeConnection second = connected(); // the app connected again by itself
    first.drop();
    assertThat(states).containsExactly(CONNECTED, CONNECTED);
    assertThat(timers).isEmpty();
    assertThat(supervisor.current()).isSameAs(second);
  }
}
