package io.parley.shared.infra;

import io.micrometer.core.instrument.Gauge;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point a service uses to reach its storage (DESIGN §4, §6): given its schema name ({@code auth},
 * {@code room}, {@code message}) it builds a PostgreSQL pool from {@code PARLEY_PG_URL} and
 * {@code PARLEY_PG_POOL_SIZE} whose connections have {@code search_path} set to that schema — so the
 * service's SQL is unqualified and it owns its schema — builds the Redis client from
 * {@code PARLEY_REDIS_URL}, applies the schema's migrations ({@link Migrations}), checks both servers
 * answer, and hands back {@link ServiceResources}.
 *
 * <pre>{@code
 * ParleyInfra.open(vertx, config, "auth").onSuccess(res -> store = new AuthStore(res.pool()));
 * }</pre>
 *
 * Standalone mode fills in the two URLs from {@link EmbeddedServers} when they are empty; everywhere
 * else they must be configured.
 */
public final class ParleyInfra {
  private static final Logger log = LoggerFactory.getLogger(ParleyInfra.class);

  /**
   * Requests allowed to wait for a pooled Redis connection. The client's default (24) is far below a
   * message fan-out burst; beyond this a request fails fast rather than queueing without bound.
   */
  static final int REDIS_MAX_WAITING = 1024;

  private ParleyInfra() {
  }

  /** Opens the service's resources with the migrations from {@code db/<schema>/migrations.txt}. */
  public static Future<ServiceResources> open(Vertx vertx, ParleyConfig config, String schema) {
    Migrations migrations;
    try {
      migrations = Migrations.fromClasspath(schema);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return open(vertx, config, migrations);
  }

  /** Opens the resources of {@code migrations.schema()}, applying exactly these migrations. */
  public static Future<ServiceResources> open(Vertx vertx, ParleyConfig config, Migrations migrations) {
    String schema = migrations.schema();
    Pool pool;
    Redis redis;
    try {
      pool = pgPool(vertx, config, schema);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    try {
      redis = redis(vertx, config);
    } catch (RuntimeException e) {
      pool.close();
      return Future.failedFuture(e);
    }
    ServiceResources resources = new ServiceResources(schema, pool, redis);
    return migrations.migrate(pool)
        .compose(applied -> resources.ping().map(v -> resources))
        .onSuccess(r -> log.info("Storage ready for schema {}", schema))
        .recover(e -> resources.close().transform(ignored -> Future.failedFuture(e)));
  }

  /**
   * A pool on {@code PARLEY_PG_URL} whose every connection has {@code search_path = <schema>}, sent
   * as a start-up parameter, so no statement is needed per connection and nothing can forget it.
   */
  public static Pool pgPool(Vertx vertx, ParleyConfig config, String schema) {
    return pgPool(vertx, config, schema, "parley-pg-" + schema, config.getInt(ConfigKey.PG_POOL_SIZE));
  }

  /**
   * A second pool on the same schema, of {@code size} connections, named
   * {@code parley-pg-<schema>-<purpose>} in the metrics: for work that holds its connections while it
   * waits on another service, which on the service's own pool could take every connection from the
   * requests that other service waits for.
   */
  public static Pool pgPoolFor(Vertx vertx, ParleyConfig config, String schema, String purpose, int size) {
    return pgPool(vertx, config, schema, "parley-pg-" + schema + "-" + purpose, size);
  }

  private static Pool pgPool(Vertx vertx, ParleyConfig config, String schema, String name, int size) {
    Migrations.requireSchemaName(schema);
    String url = required(config, ConfigKey.PG_URL,
        "postgresql://user:password@host:5432/database");
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      // The parser's message may echo the URL, and with it the password.
      throw new IllegalArgumentException(ConfigKey.PG_URL.env() + " is not a valid PostgreSQL URL;"
          + " expected postgresql://user:password@host:5432/database");
    }
    connect.addProperty("search_path", schema);
    if (size < 1) {
      throw new IllegalArgumentException(ConfigKey.PG_POOL_SIZE.env() + " must be at least 1, got " + size);
    }
    PoolOptions poolOptions = new PoolOptions().setMaxSize(size).setName(name);
    // Vert.x reports the pool's use (vertx_pool_in_use{pool_name}); its size, for the ratio, is ours.
    Gauge.builder("parley.pg.pool.max.connections", () -> size).tag("pool_name", name).register(Meters.registry());
    return PgBuilder.pool().with(poolOptions).connectingTo(connect).using(vertx).build();
  }

  /** A pooled Redis client on {@code PARLEY_REDIS_URL} (the path selects the logical database). */
  public static Redis redis(Vertx vertx, ParleyConfig config) {
    String url = required(config, ConfigKey.REDIS_URL, "redis://host:6379/0");
    RedisOptions options = new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolWaiting(REDIS_MAX_WAITING)
        // A fixed name: Vert.x would name each pool by a random UUID, one new metric series per start.
        .setPoolName("parley-redis");
    return Redis.createClient(vertx, options);
  }

  private static String required(ParleyConfig config, ConfigKey key, String example) {
    return config.optional(key).orElseThrow(() -> new IllegalStateException(key.env() + " is empty: set it"
        + " to " + example + " (standalone mode and TestInfra fill it in with an embedded server)"));
  }
}
