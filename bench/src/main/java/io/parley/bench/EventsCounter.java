package io.parley.bench;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Counts the rows of {@code message.events}, the room event log, to prove that what was acknowledged
 * was stored. Read-only; optional ({@code --pg-url}); the bench says so when it is not given.
 */
final class EventsCounter implements AutoCloseable {
  private final Pool pool;

  private EventsCounter(Pool pool) {
    this.pool = pool;
  }

  /** Null when {@code url} is empty. */
  static EventsCounter open(Vertx vertx, String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    return new EventsCounter(
        PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build());
  }

  long count() throws Exception {
    return Loops.await(
        pool.query("SELECT count(*) FROM message.events").execute().map(rows -> rows.iterator().next().getLong(0)), 60);
  }

  @Override
  public void close() throws Exception {
    Loops.await(pool.close(), 30);
  }
}
