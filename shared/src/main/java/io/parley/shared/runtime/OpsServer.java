package io.parley.shared.runtime;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * The operator's view of a process, on PARLEY_HTTP_PORT: {@code /health/live} (the process runs),
 * {@code /health/ready} (it can serve: its databases answer and, when clustered, it is in the
 * cluster) and {@code /metrics} (Prometheus text). Kubernetes probes and scrapers use these.
 */
public final class OpsServer {
  private OpsServer() {}

  /** Starts the server unless PARLEY_HTTP_PORT is -1; completes with the bound port (or -1). */
  public static Future<Integer> start(ParleyRuntime runtime, ParleyConfig config, Supplier<Future<Void>> readiness) {
    int port = config.getInt(ConfigKey.HTTP_PORT);
    if (port < 0) {
      return Future.succeededFuture(-1);
    }
    HttpServer server = runtime.vertx().createHttpServer().requestHandler(request -> serve(runtime, readiness, request));
    return server.listen(port, config.get(ConfigKey.BIND_HOST)).map(HttpServer::actualPort);
  }

  private static void serve(ParleyRuntime runtime, Supplier<Future<Void>> readiness, HttpServerRequest request) {
    switch (request.path()) {
      case "/health/live" -> request.response().putHeader("content-type", "text/plain").end("live\n");
      case "/health/ready" -> {
        if (!runtime.clusterHealthy()) {
          request.response().setStatusCode(503).end("not ready: not in the cluster\n");
          return;
        }
        readiness.get().onComplete(done -> request.response()
            .setStatusCode(done.succeeded() ? 200 : 503)
            .putHeader("content-type", "text/plain")
            .end(done.succeeded() ? "ready\n" : "not ready: " + done.cause().getMessage() + "\n"));
      }
      case "/metrics" -> request.response()
          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(runtime.metrics().scrape());
      default -> request.response().setStatusCode(404).end();
    }
  }
}
