package io.parley.shared.service;

import io.parley.shared.bus.InternalHandler;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.bus.ServiceEndpoint;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.infra.ServiceResources;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shape every Parley service shares: open its own PostgreSQL schema (migrations applied) and
 * Redis, then bind one {@link RequestHandler} per bus address it owns. Subclasses only say which
 * schema and which handlers.
 */
public abstract class ServiceVerticle extends VerticleBase {
  protected final ParleyConfig config;
  private ServiceResources resources;

  protected ServiceVerticle(ParleyConfig config) {
    this.config = config;
  }

  /** The PostgreSQL schema this service owns; no other service reads it. */
  protected abstract String schema();

  /** The handler for each bus address this service serves. */
  protected abstract Map<String, RequestHandler> handlers(ServiceResources resources);

  /** Work that must finish before the first request is served (cache warm-up and the like). */
  protected Future<Void> prepare(ServiceResources resources) {
    return Future.succeededFuture();
  }

  /** Handlers for internal addresses (requests from other services); none by default. */
  protected Map<String, InternalHandler> internalHandlers(ServiceResources resources) {
    return Map.of();
  }

  @Override
  public Future<?> start() {
    return ParleyInfra.open(vertx, config, schema())
        .compose(
            opened -> {
              resources = opened;
              return prepare(opened);
            })
        .compose(
            prepared -> {
              List<Future<Void>> registrations = new ArrayList<>();
              handlers(resources).forEach((address, handler) -> registrations.add(ServiceEndpoint.register(vertx, address, handler)));
              internalHandlers(resources)
                  .forEach((address, handler) -> registrations.add(ServiceEndpoint.registerInternal(vertx, address, handler)));
              return Future.all(registrations);
            });
  }

  @Override
  public Future<?> stop() {
    return resources == null ? Future.succeededFuture() : resources.close();
  }

  protected ServiceResources resources() {
    return resources;
  }

  /** Readiness: this service's PostgreSQL and Redis answer. */
  public Future<Void> ready() {
    return resources == null ? Future.failedFuture("starting") : resources.ping();
  }
}
