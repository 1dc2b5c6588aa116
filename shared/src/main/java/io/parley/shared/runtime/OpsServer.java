package io.parley.shared.runtime;

import io.parley.shared.admin.AdminCensus;
import io.parley.shared.admin.AdminEndpoint;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Dependencies;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The operator's view of a process, on PARLEY_HTTP_PORT: {@code /health/live}, {@code /health/ready}
 * and {@code /metrics} (Prometheus text). Kubernetes probes and scrapers use these.
 *
 * <p>Both health answers come from state kept in the background, never from a check made per
 * request, so they answer at once however busy the process is:
 * <ul>
 *   <li>{@code /health/live}: 503 only when the process is wedged (an event loop that has not run
 *       for {@value LoopHeartbeat#WEDGED_AFTER_MS} ms, {@link LoopHeartbeat}); a restart is the cure.
 *   <li>{@code /health/ready}: {@link Readiness}, JSON naming each dependency's state so an operator
 *       sees which one is down without reading logs:
 *       {@code {"ready":true,"degraded":["redis"],"postgres":"up","redis":"down"}}; the same states are
 *       the {@code parley_dependency_up{name}} gauge.
 *   <li>{@code /admin/*}: parley-admin's signed commands ({@link AdminEndpoint}), only when
 *       PARLEY_ADMIN_KEY_FILE is set; 404 otherwise.
 * </ul>
 *
 * <p>Every process answers the admin census (connections per gateway), whatever its port.
 */
public final class OpsServer {
  private OpsServer() {}

  /** Starts the server unless PARLEY_HTTP_PORT is -1; completes with the bound port (or -1). */
  public static Future<Integer> start(ParleyRuntime runtime, ParleyConfig config, Readiness readiness) {
    Dependencies.of(runtime.vertx()).bindTo(runtime.metrics());
    int port = config.getInt(ConfigKey.HTTP_PORT);
    if (port < 0) {
      return AdminCensus.answer(runtime.vertx()).map(-1);
    }
    Optional<AdminEndpoint> admin;
    try {
      admin = AdminEndpoint.create(runtime.vertx(), config);
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    LoopHeartbeat heartbeat = LoopHeartbeat.start(runtime.vertx());
    HttpServer server =
        runtime.vertx().createHttpServer().requestHandler(request -> serve(runtime, heartbeat, readiness, admin, request));
    return AdminCensus.answer(runtime.vertx())
        .compose(answering -> server.listen(port, config.get(ConfigKey.BIND_HOST)))
        .map(HttpServer::actualPort);
  }

  private static void serve(
      ParleyRuntime runtime, LoopHeartbeat heartbeat, Readiness readiness, Optional<AdminEndpoint> admin, HttpServerRequest request) {
    if (request.path().startsWith(AdminEndpoint.PREFIX) && admin.isPresent()) {
      admin.get().serve(request);
      return;
    }
    switch (request.path()) {
      case "/health/live" -> {
        Optional<String> wedged = heartbeat.wedged();
        request.response()
            .setStatusCode(wedged.isEmpty() ? 200 : 503)
            .putHeader("content-type", "text/plain")
            .end(wedged.map(why -> "wedged: " + why + "\n").orElse("live\n"));
      }
      case "/health/ready" -> {
        JsonObject state = readiness.state();
        request.response()
            .setStatusCode(state.getBoolean("ready") ? 200 : 503)
            .putHeader("content-type", "application/json")
            .end(state.encode() + "\n");
      }
      case "/metrics" -> request.response()
          .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(runtime.metrics().scrape());
      default -> request.response().setStatusCode(404).end();
    }
  }
}
