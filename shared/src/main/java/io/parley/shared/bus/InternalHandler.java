package io.parley.shared.bus;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Serves an internal address: a request from another service, JSON in and JSON out, no client. */
@FunctionalInterface
public interface InternalHandler {
  Future<JsonObject> handle(JsonObject request);
}
