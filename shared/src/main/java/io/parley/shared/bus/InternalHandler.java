package io.parley.shared.bus;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Serves an internal address whose request and reply are JSON. */
@FunctionalInterface
public interface InternalHandler extends RecordHandler<JsonObject, JsonObject> {
  @Override
  Future<JsonObject> handle(JsonObject request);
}
