package io.parley.client.e2e;

import io.parley.client.IdentityMismatchException;
import io.parley.client.ParleyStatusException;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps a chat connected: connects, resumes the saved session, catches up, and after a lost
 * connection does it again with exponential backoff ({@link #RECONNECT_MIN_MS} doubling up to
 * {@link #RECONNECT_MAX_MS}, back to the minimum after a resume). It gives up — state FAILED and a
 * warning — when the server's identity changed or the saved session was refused, because trying
 * again cannot fix either. A connection that drops in the middle of a catch-up is simply replaced:
 * the next resume catches up again from the cursors.
 *
 * <p>Runs on the chat's context; {@link #current()} may be read from any thread.
 *
 * @param <C> the connection type ({@code ParleyConnection}; tests use their own)
 */
final class ConnectionSupervisor<C> {
  static final long RECONNECT_MIN_MS = 200;
  static final long RECONNECT_MAX_MS = 10_000;

  /** What the supervisor does to and with a connection; the facade binds it to the SDK's requests. */
  interface Line<C> {
    /** Opens a connection and proves the server's identity. */
    Future<C> dial();

    /** Resumes the saved session on {@code connection}: true when there was one to resume. */
    Future<Boolean> resume(C connection);

    /** Catches up every room after authentication. */
    Future<Void> catchUp();

    /** Completes when {@code connection} has ended, for whatever reason. */
    Future<?> closed(C connection);

    Future<Void> hangUp(C connection);

    /** Whether a lost connection should be replaced (reconnecting is on and a session is saved). */
    boolean mayReconnect();
  }

  /** Runs an action on the chat's context after a delay. */
  interface Scheduler {
    void after(long delayMs, Runnable action);
  }

  private final Line<C> line;
  private final Scheduler scheduler;
  private final Consumer<ParleyChat.ConnectionState> states;
  private final Consumer<String> warn;

  /** Written on the context only; volatile for readers on other threads. */
  private volatile C current;
  private volatile Throwable lastFailure;
  private boolean closing;
  private boolean reconnectPending;
  private long reconnectDelay = RECONNECT_MIN_MS;

  ConnectionSupervisor(Line<C> line, Scheduler scheduler, Consumer<ParleyChat.ConnectionState> states, Consumer<String> warn) {
    this.line = line;
    this.scheduler = scheduler;
    this.states = states;
    this.warn = warn;
  }

  /**
   * Connects and, when a session is saved, resumes it and catches up; completes after the catch-up.
   * Failures are the caller's to handle: nothing is retried until a connection has been lost.
   */
  Future<C> connect() {
    closing = false;
    return dial().compose(conn -> resume(conn).map(conn));
  }

  /** A session was just started on the current connection (a login): it counts as connected. */
  void authenticated() {
    reconnectDelay = RECONNECT_MIN_MS;
    states.accept(ParleyChat.ConnectionState.CONNECTED);
  }

  /** Ends the current connection and stops reconnecting until the next {@link #connect}. */
  Future<Void> close() {
    closing = true;
    C conn = current;
    return conn == null ? Future.succeededFuture() : line.hangUp(conn).recover(e -> Future.succeededFuture());
  }

  C current() {
    return current;
  }

  Optional<Throwable> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  private Future<C> dial() {
    return line.dial().map(conn -> {
      current = conn;
      line.closed(conn).onComplete(ended -> onClosed(conn));
      return conn;
    });
  }

  private Future<Void> resume(C conn) {
    return line.resume(conn).compose(resumed -> {
      if (!resumed) {
        return Future.succeededFuture();
      }
      authenticated();
      return line.catchUp();
    });
  }

  private void onClosed(C conn) {
    if (conn != current || closing) {
      return;
    }
    states.accept(ParleyChat.ConnectionState.DISCONNECTED);
    if (line.mayReconnect()) {
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    if (reconnectPending || closing) {
      return;
    }
    reconnectPending = true;
    long delay = reconnectDelay;
    reconnectDelay = Math.min(RECONNECT_MAX_MS, reconnectDelay * 2);
    scheduler.after(delay, this::reconnect);
  }

  private void reconnect() {
    reconnectPending = false;
    if (closing) {
      return;
    }
    states.accept(ParleyChat.ConnectionState.RECONNECTING);
    dial()
        .compose(conn -> line.resume(conn).onFailure(failure -> {
          if (!isFatal(failure)) {
            line.hangUp(conn); // of no use unauthenticated; its close is what schedules the next try
          }
        }))
        .onSuccess(resumed -> {
          if (resumed) {
            authenticated();
            line.catchUp(); // cut short by another drop, it is done again after the next resume
          }
        })
        .onFailure(failure -> {
          lastFailure = failure;
          if (isFatal(failure)) {
            warn.accept(failure.getMessage());
            states.accept(ParleyChat.ConnectionState.FAILED);
            return;
          }
          scheduleReconnect();
        });
  }

  /** Trying again cannot help: the server is not the one pinned, or the saved session is dead. */
  static boolean isFatal(Throwable failure) {
    return failure instanceof IdentityMismatchException || isTokenRefused(failure);
  }

  static boolean isTokenRefused(Throwable failure) {
    return failure instanceof ParleyStatusException status && status.code().filter(StatusCode.TOKEN_REFUSED::equals).isPresent();
  }
}
