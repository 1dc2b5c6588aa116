package io.parley.standalone;

import io.parley.auth.AuthVerticle;
import io.parley.gateway.Gateway;
import io.parley.message.MessageVerticle;
import io.parley.room.RoomVerticle;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.NodeIds;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Dependencies;
import io.parley.shared.infra.EmbeddedServers;
import io.parley.shared.runtime.OpsServer;
import io.parley.shared.runtime.ParleyRuntime;
import io.parley.shared.runtime.Readiness;
import io.parley.shared.token.TokenKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Every Parley service in one JVM on the local event bus: the default way to run Parley on one
 * machine. When no PostgreSQL or Redis URL is configured it starts real embedded servers itself, with
 * data under PARLEY_DATA_DIR, and restarts either when its process dies ({@link EmbeddedServers});
 * a configured URL always wins.
 */
public final class Standalone implements AutoCloseable {
  private final Vertx vertx;
  private final Gateway.Running gateway;
  private final EmbeddedServers embedded;
  private final ParleyConfig config;

  private final int httpPort;

  private Standalone(Vertx vertx, Gateway.Running gateway, EmbeddedServers embedded, ParleyConfig config, int httpPort) {
    this.httpPort = httpPort;
    this.vertx = vertx;
    this.gateway = gateway;
    this.embedded = embedded;
    this.config = config;
  }

  /**
   * Starts everything and returns once the gateway listens. Blocking (embedded servers start here),
   * so call it from a main or test thread, never from an event loop.
   */
  public static Standalone start(ParleyConfig requested) throws Exception {
    EmbeddedServers embedded = null;
    ParleyConfig config = requested;
    if (config.optional(ConfigKey.PG_URL).isEmpty() || config.optional(ConfigKey.REDIS_URL).isEmpty()) {
      embedded = EmbeddedServers.start(config.getPath(ConfigKey.DATA_DIR));
      config = embedded.fillIn(config);
    }
    ServerIdentity identity = ServerIdentity.loadOrCreate(config.getPath(ConfigKey.IDENTITY_KEY_FILE));
    // One process signs and verifies, so standalone may create the token key on first start.
    TokenKeys tokenKeys = TokenKeys.load(config.getPath(ConfigKey.TOKEN_KEY_FILE), true);
    ParleyRuntime runtime = ParleyRuntime.start(config, false).toCompletionStage().toCompletableFuture().get();
    Vertx vertx = runtime.vertx();
    ParleyConfig services = config;
    AuthVerticle auth = new AuthVerticle(services, tokenKeys);
    RoomVerticle room = new RoomVerticle(services);
    MessageVerticle message = new MessageVerticle(services);
    try {
      Gateway.Running gateway =
          Future.all(vertx.deployVerticle(auth), vertx.deployVerticle(room), vertx.deployVerticle(message))
              .compose(deployed -> Gateway.deploy(vertx, services, identity, tokenKeys, NodeIds.of(services)))
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      EmbeddedServers supervised = embedded;
      if (supervised != null) {
        supervised.bindTo(runtime.metrics());
      }
      int httpPort =
          OpsServer.start(runtime, services, Readiness.requiring(runtime, Set.of(Dependencies.POSTGRES))
                  .withDetails(() -> supervised == null ? new JsonObject() : supervised.describe()))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      return new Standalone(vertx, gateway, embedded, config, httpPort);
    } catch (Exception e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public int tcpPort() {
    return gateway.tcpPort();
  }

  public int wsPort() {
    return gateway.wsPort();
  }

  /** Port of /health/live, /health/ready and /metrics; -1 when disabled. */
  public int httpPort() {
    return httpPort;
  }

  public String fingerprint() {
    return gateway.fingerprint();
  }

  /** The effective configuration, with the embedded servers' URLs filled in. */
  public ParleyConfig config() {
    return config;
  }

  public Optional<EmbeddedServers> embedded() {
    return Optional.ofNullable(embedded);
  }

  /** Drains connections (clients are told to reconnect), stops the services, then the databases. */
  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (embedded != null) {
      embedded.close();
    }
  }
}
