package io.parley.shared.bus;

import io.parley.shared.protocol.Envelope;
import io.vertx.core.json.JsonObject;

/**
 * A service's answer to one {@link BusRequest}: the packet for the client (the gateway adds the
 * request id) and, rarely, a change to the connection's session that only the gateway can make.
 *
 * @param packet what the client receives
 * @param session null for no change; otherwise the connection becomes authenticated as
 *     {@link SessionChange#user()} or, when that is null, unauthenticated
 */
public record BusReply(Envelope packet, SessionChange session) {

  public record SessionChange(String user) {}

  public static BusReply of(Envelope packet) {
    return new BusReply(packet, null);
  }

  public BusReply authenticate(String user) {
    return new BusReply(packet, new SessionChange(user));
  }

  public BusReply unauthenticate() {
    return new BusReply(packet, new SessionChange(null));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("packet", packet.toJson());
    if (session != null) {
      json.put("session", new JsonObject().put("user", session.user()));
    }
    return json;
  }

  public static BusReply fromJson(JsonObject json) {
    JsonObject session = json.getJsonObject("session");
    return new BusReply(
        Envelope.fromJson(json.getJsonObject("packet")),
        session == null ? null : new SessionChange(session.getString("user")));
  }
}
