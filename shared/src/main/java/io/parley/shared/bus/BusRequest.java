package io.parley.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * What the gateway sends to a service for one client packet: the packet's data plus the facts the
 * gateway vouches for. Services trust these fields (they come from the authenticated connection, not
 * from the client) and nothing else. JSON on the bus so the bus can be clustered.
 *
 * @param user the authenticated user id, or null before authentication
 * @param device the device uuid from CONN_INIT (always present after the handshake)
 * @param connection the gateway's id for this connection (binds captchas and rate limits to it)
 * @param node the gateway node holding the connection (where pushes for it go)
 * @param remote the client's address, for per-address rate limits; never logged with secrets
 * @param requestId the client's request id, or null (idempotency key together with device)
 * @param data the packet's data object, already shape-validated by the gateway
 */
public record BusRequest(
    String user,
    String device,
    String connection,
    String node,
    String remote,
    String requestId,
    JsonObject data) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("user", user)
        .put("device", device)
        .put("connection", connection)
        .put("node", node)
        .put("remote", remote)
        .put("requestId", requestId)
        .put("data", data);
  }

  public static BusRequest fromJson(JsonObject json) {
    return new BusRequest(
        json.getString("user"),
        json.getString("device"),
        json.getString("connection"),
        json.getString("node"),
        json.getString("remote"),
        json.getString("requestId"),
        json.getJsonObject("data", new JsonObject()));
  }
}
