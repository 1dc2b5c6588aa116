package io.parley.shared.bus;

import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.packet.ClientPacket;
import io.parley.shared.protocol.packet.Packets;
import io.vertx.core.json.JsonObject;

/**
 * What the gateway sends to a service for one client packet: the packet, validated once by the
 * gateway ({@link Packets#parse}), plus the facts the gateway vouches for. Services trust these
 * fields (they come from the authenticated connection, not from the client) and nothing else. In one
 * process the record itself travels ({@link BusCodecs}); between processes its JSON, from which the
 * receiving process rebuilds the packet record.
 *
 * @param user the authenticated user id, or null before authentication
 * @param device the device uuid from CONN_INIT (always present after the handshake)
 * @param connection the gateway's id for this connection (binds captchas and rate limits to it)
 * @param node the gateway node holding the connection (where pushes for it go)
 * @param remote the client's address, for per-address rate limits; never logged with secrets
 * @param requestId the client's request id, or null (idempotency key together with device)
 * @param packet the client's request, already validated by the gateway
 */
public record BusRequest(
    String user,
    String device,
    String connection,
    String node,
    String remote,
    String requestId,
    ClientPacket packet) {

  /** The packet as the service's handler expects it; a request of another type is a routing bug. */
  public <P extends ClientPacket> P packet(Class<P> type) {
    return type.cast(packet);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("user", user)
        .put("device", device)
        .put("connection", connection)
        .put("node", node)
        .put("remote", remote)
        .put("requestId", requestId)
        .put("type", packet.type().wireName())
        .put("data", packet.toData());
  }

  /** Rebuilds the packet record from the canonical data another process's gateway validated. */
  public static BusRequest fromJson(JsonObject json) {
    PacketType type = PacketType.fromWire(json.getString("type"))
        .orElseThrow(() -> new BadPacketException("type", "not a client request"));
    return fromJson(json, type);
  }

  /**
   * Rebuilds a request of the JSON shape that gateways sent before the bus carried records: no
   * {@code type} (the address said it) and the client's data as the gateway had checked it, so it is
   * parsed here again. For rolling upgrades ({@link ServiceEndpoint}).
   */
  public static BusRequest fromJson(JsonObject json, PacketType type) {
    return new BusRequest(
        json.getString("user"),
        json.getString("device"),
        json.getString("connection"),
        json.getString("node"),
        json.getString("remote"),
        json.getString("requestId"),
        Packets.parse(type, json.getJsonObject("data", new JsonObject())));
  }
}
