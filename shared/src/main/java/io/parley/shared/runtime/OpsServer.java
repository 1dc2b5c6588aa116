package io.parley.shared.runtime;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Dependencies;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The operator's view of a process, on PARLEY_HTTP_PORT: {@code /health/live} (the process runs),
 * {@code /health/ready} (it can serve: its databases answer and, when clustered, it is in the
 * cluster) and {@code /metrics} (Prometheus text). Kubernetes probes and scrapers use these.
 *
 * <p>{@code /health/ready} answers JSON naming each dependency's state, so an operator sees which one
 * is down without reading logs: {@code {"ready":false,"postgres":"down","redis":"up"}}; the same
 * states are the {@code parley_dependency_up{name}} gauge.
 */
public final class OpsServer {
  private OpsServer() {}

  /** Starts the server unless PARLEY_HTTP_PORT is -1; completes with the bound port (or -1). */
  public static Future<Integer> start(ParleyRuntime runtime, ParleyConfig config, Supplier<Future<Void>> readiness) {
    return start(runtime, config, readiness, JsonObject::new);
  }

  /**
   * As {@link #start(ParleyRuntime, ParleyConfig, Supplier)}, with {@code details} merged into the
   * readiness body (standalone adds its embedded servers' supervision).
   */
  public static Future<Integer> start(
      ParleyRuntime runtime, ParleyConfig config, Supplier<Future<Void>> readiness, Supplier<JsonObject> details) {
    Dependencies.of(runtime.vertx()).bindTo(runtime.metrics());
    int port = config.getInt(ConfigKey.HTTP_PORT);
    if (port < 0) {
      return Future.succeededFuture(-1);
    }
    HttpServer server =
        runtime.vertx().createHttpServer().requestHandler(request -> serve(runtime, readiness, details, request));
    return server.listen(port, config.get(ConfigKey.BIND_HOST)).map(HttpServer::actualPort);
  }

  private static void serve(
      ParleyRuntime runtime, Supplier<Future<Void>> readiness, Supplier<JsonObject> details, HttpServerRequest request) {
    switch (request.path()) {
      case "/health/live" -> request.response().putHeader("content-type", "text/plain").end("live\n");
      case "/health/ready" -> {
        boolean inCluster = runtime.clusterHealthy();
        Future<Void> ready = inCluster ? readiness.get() : Future.failedFuture("not in the cluster");
        ready.onComplete(done -> {
          JsonObject body = new JsonObject().put("ready", done.succeeded());
          if (done.failed()) {
            body.put("reason", done.cause().getMessage());
          }
          body.mergeIn(Dependencies.of(runtime.vertx()).states()).mergeIn(details.get());
          request.response()
              .setStatusCode(done.succeeded() ? 200 : 503)
              .putHeader("content-type", "application/json")
              .end(body.encode() + "\n");
        });
      }
      case "/metrics" -> request.response()
          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(runtime.metrics().scrape());
      default -> request.response().setStatusCode(404).end();
    }
  }
}
