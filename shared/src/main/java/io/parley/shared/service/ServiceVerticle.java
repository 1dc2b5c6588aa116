package io.parley.shared.service;

import io.parley.shared.bus.InternalHandler;
import io.parley.shared.bus.RecordHandler;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.bus.ServiceEndpoint;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Dependencies;
import io.parley.shared.infra.Outages;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The shape every Parley service shares: open its own PostgreSQL schema (migrations applied) and
 * Redis, then bind one {@link RequestHandler} per bus address it owns. Subclasses only say which
 * schema and which handlers.
 */
public abstract class ServiceVerticle extends VerticleBase {
  /** How long a stopping service waits for requests in flight before it closes its databases. */
  static final long DRAIN_TIMEOUT_MS = 10_000;

  protected final ParleyConfig config;
  private final InFlight inFlight = new InFlight();
  private Admission admission;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Runnable> unwatch = new ArrayList<>();
  private ServiceResources resources;
  private Dependencies dependencies;

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

  /** Handlers for internal addresses whose requests are bus records, not JSON; none by default. */
  protected Map<String, RecordHandler<?, ?>> recordHandlers(ServiceResources resources) {
    return Map.of();
  }

  @Override
  public Future<?> start() {
    dependencies = Dependencies.of(vertx);
    admission = new Admission(schema(), config.getInt(ConfigKey.SERVICE_MAX_IN_FLIGHT));
    return ParleyInfra.open(vertx, config, schema())
        .compose(
            opened -> {
              resources = opened;
              unwatch.add(dependencies.watch(Dependencies.POSTGRES, opened::pingPostgres));
              unwatch.add(dependencies.watch(Dependencies.REDIS, opened::pingRedis));
              return prepare(opened);
            })
        .compose(
            prepared -> {
              List<Future<? extends MessageConsumer<?>>> registrations = new ArrayList<>();
              handlers(resources).forEach((address, handler) -> registrations.add(
                  ServiceEndpoint.register(vertx, address, request -> admit(() -> handler.handle(request)))));
              internalHandlers(resources).forEach((address, handler) -> registrations.add(registerInternal(address, handler)));
              recordHandlers(resources).forEach((address, handler) -> registrations.add(registerInternal(address, handler)));
              return Future.all(registrations).onSuccess(all -> registrations.forEach(r -> consumers.add(r.result())));
            });
  }

  private <Q, R> Future<MessageConsumer<Q>> registerInternal(String address, RecordHandler<Q, R> handler) {
    return ServiceEndpoint.registerInternal(vertx, address, request -> track(() -> handler.handle(request)));
  }

  /**
   * A client request starts only while fewer than PARLEY_SERVICE_MAX_IN_FLIGHT requests are in flight
   * ({@link Admission}); internal requests from other services are few and always admitted.
   */
  private <T> Future<T> admit(Supplier<Future<T>> work) {
    StatusException refusal = admission.refusal(inFlight.count());
    return refusal != null ? Future.failedFuture(refusal) : track(work);
  }

  /**
   * Counts the request in flight, and probes the dependencies at once when it failed as if one were
   * down, so the outage is seen (and logged once) with its first failed request.
   */
  private <T> Future<T> track(Supplier<Future<T>> work) {
    return inFlight.track(work).onFailure(failure -> {
      if (Outages.isOutage(failure)) {
        dependencies.probeAll();
      }
    });
  }

  /**
   * Graceful stop: stop accepting (unregister from the bus, so the cluster routes requests to other
   * replicas), let the requests in flight finish (at most {@link #DRAIN_TIMEOUT_MS}), then close the
   * databases.
   */
  @Override
  public Future<?> stop() {
    unwatch.forEach(Runnable::run);
    unwatch.clear();
    List<Future<Void>> unregistered = new ArrayList<>();
    consumers.forEach(consumer -> unregistered.add(consumer.unregister()));
    Future<Void> drained =
        Future.join(unregistered).transform(done -> inFlight.idle()).timeout(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .recover(late -> Future.succeededFuture());
    return drained.compose(done -> resources == null ? Future.succeededFuture() : resources.close());
  }

  protected ServiceResources resources() {
    return resources;
  }
}
