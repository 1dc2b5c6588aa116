package io.parley.shared.infra;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;

/**
 * What a service needs from the outside world: a PostgreSQL pool whose connections see only the
 * service's own schema ({@code search_path}), already migrated, and a Redis client. Built by
 * {@link ParleyInfra#open}; the service closes it when its verticle stops.
 */
public record ServiceResources(String schema, Pool pool, Redis redis) {

  /** Typed Redis commands over {@link #redis()}; cheap, create one per use or keep one. */
  public RedisAPI redisApi() {
    return RedisAPI.api(redis);
  }

  /**
   * Succeeds when both PostgreSQL and Redis answer; backs {@code /health/ready}. The failure says
   * which one is unreachable (never a URL, which may carry a password).
   */
  public Future<Void> ping() {
    return Future.all(pingPostgres(), pingRedis()).mapEmpty();
  }

  /** Succeeds when PostgreSQL answers a {@code SELECT 1}. */
  public Future<Void> pingPostgres() {
    return pool.query("SELECT 1").execute()
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(new IllegalStateException("PostgreSQL unreachable: " + e.getMessage(), e)));
  }

  /** Succeeds when Redis answers a {@code PING}. */
  public Future<Void> pingRedis() {
    return redis.send(Request.cmd(Command.PING))
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture(new IllegalStateException("Redis unreachable: " + e.getMessage(), e)));
  }

  /** Closes both clients; completes when both are closed. */
  public Future<Void> close() {
    return Future.join(pool.close(), redis.close()).mapEmpty();
  }
}
