package io.parley.client.e2e;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A room's key directory as the server would serve it in ROOM_INFO, changed by the test at will. */
final class ScriptedRoom {
  final UUID id = UUID.randomUUID();
  /** user → (device → chat public key PEM), in listed order. */
  private final Map<String, Map<UUID, String>> listed = new LinkedHashMap<>();
  int reads;
  boolean unreachable;

  ScriptedRoom list(String user, UUID device, String pem) {
    listed.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(device, pem);
    return this;
  }

  ScriptedRoom unlist(String user) {
    listed.remove(user);
    return this;
  }

  /** ROOM_INFO's data, or the failure of a dropped connection when {@link #unreachable}. */
  Future<JsonObject> roomInfo(UUID room) {
    reads++;
    if (unreachable) {
      return Future.failedFuture(new IllegalStateException("connection closed"));
    }
    JsonArray members = new JsonArray();
    listed.forEach((user, devices) -> {
      JsonArray listedDevices = new JsonArray();
      devices.forEach((device, pem) -> listedDevices.add(new JsonObject().put("device", device.toString()).put("chat_pubkey", pem)));
      members.add(new JsonObject().put("user", user).put("role", "member").put("devices", listedDevices));
    });
    return Future.succeededFuture(new JsonObject().put("room", room.toString()).put("members", members));
  }

  /** The outcome of a future these synchronous scripts complete at once. */
  static <T> T done(Future<T> future) {
    if (!future.succeeded()) {
      throw new AssertionError("expected a completed future, got " + (future.failed() ? future.cause() : "a pending one"), future.cause());
    }
    return future.result();
  }
}
