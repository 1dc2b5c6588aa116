package io.parley.shared.infra;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides whether a failed request failed because a dependency (PostgreSQL,
 * Redis, another service) could not be reached — the client should retry with the same id, the
 * answer is UNAVAILABLE — or because of a bug, which is INTERNAL_ERROR with a correlation id
 * (DESIGN §5: "a dependency outage answers UNAVAILABLE and heals by itself").
 *
 * <p>What counts, seen with PostgreSQL and Redis killed under load: refused and reset connections
 * ({@link IOException}: netty's connect and native I/O exceptions), a pooled connection that died
 * ({@link ClosedConnectionException}; Redis' {@code CONNECTION_CLOSED}), timeouts, PostgreSQL's
 * SQLSTATE class 08 (connection exception), 53 (insufficient resources) and 57P01–57P03 (shutting
 * down, crashed, starting up), Redis' {@code LOADING} (replaying its append-only file after a
 * restart), and a peer service that answered {@link #DEPENDENCY_UNAVAILABLE} or did not answer.
 */
public final class Outages {
  /** Failure code an internal handler answers when its own dependency is down. */
  public static final int DEPENDENCY_UNAVAILABLE = 503;

  /** Bounds the walk down a cause chain (a cycle or a deep wrap is not worth following). */
  private static final int MAX_CAUSE_DEPTH = 16;

  private static final String REDIS_ERROR_TYPE = "io.vertx.redis.client.impl.types.ErrorType";

  private Outages() {}

  /** True when {@code failure}, or one of its causes, says a dependency is unreachable. */
  public static boolean isOutage(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
      if (isOutageItself(t)) {
        return true;
      }
      if (t.getCause() == t) {
        return false;
      }
    }
    return false;
  }

  private static boolean isOutageItself(Throwable t) {
    if (t instanceof IOException || t instanceof TimeoutException || t instanceof ClosedConnectionException) {
      return true;
    }
    if (t instanceof PgException pg) {
      return isUnavailableSqlState(pg.getSqlState());
    }
    if (t instanceof ReplyException reply) {
      return reply.failureType() == ReplyFailure.TIMEOUT
          || reply.failureType() == ReplyFailure.NO_HANDLERS
          || (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == DEPENDENCY_UNAVAILABLE);
    }
    if (REDIS_ERROR_TYPE.equals(t.getClass().getName())) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      return message.startsWith("CONNECTION_CLOSED") || message.startsWith("LOADING");
    }
    // The pool's own refusals ("connection pool reached max wait queue size") are overload, and
    // overload is retryable too.
    return t.getClass().getSimpleName().equals("ConnectionPoolTooBusyException");
  }

  static boolean isUnavailableSqlState(String sqlState) {
    if (sqlState == null) {
      return false;
    }
    return sqlState.startsWith("08")
        || sqlState.startsWith("53")
        || sqlState.equals("57P01")
        || sqlState.equals("57P02")
        || sqlState.equals("57P03");
  }
}
