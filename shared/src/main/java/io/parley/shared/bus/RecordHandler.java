package io.parley.shared.bus;

import io.vertx.core.Future;

/**
 * Serves an internal address: a request from another service, no client behind it. The request and
 * the reply are bus records ({@link BusCodecs}) or JSON.
 */
@FunctionalInterface
public interface RecordHandler<Q, R> {
  Future<R> handle(Q request);
}
