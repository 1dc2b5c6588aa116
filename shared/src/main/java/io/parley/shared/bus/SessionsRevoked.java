package io.parley.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * A revocation every gateway must apply to its live sessions, published on
 * {@link Addresses#EVENTS_SESSIONS_REVOKED} once PostgreSQL holds it.
 *
 * @param user whose sessions end
 * @param device the device whose sessions end, or null for every device of the user
 * @param exceptConnection the connection that asked (LOGOUT answers it itself), or null
 */
public record SessionsRevoked(String user, String device, String exceptConnection) {

  public boolean covers(String sessionUser, String sessionDevice, String connection) {
    return user.equals(sessionUser) && (device == null || device.equals(sessionDevice)) && !connection.equals(exceptConnection);
  }

  public JsonObject toJson() {
    return new JsonObject().put("user", user).put("device", device).put("except_connection", exceptConnection);
  }

  public static SessionsRevoked fromJson(JsonObject json) {
    return new SessionsRevoked(json.getString("user"), json.getString("device"), json.getString("except_connection"));
  }
}
