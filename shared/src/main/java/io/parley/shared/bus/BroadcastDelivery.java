package io.parley.shared.bus;

import io.parley.shared.protocol.Envelope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One packet for every authenticated session of some users, whichever gateway holds them, published on
 * {@link Addresses#GATEWAYS_BROADCAST_DELIVER}. The message service sends it instead of the per-node
 * {@link Delivery} while it cannot read presence: it then does not know the devices, so it names the
 * users, and each gateway looks them up among its own sessions. {@code skipDevice} is the device that
 * caused the packet (it has its own reply), or null.
 */
public record BroadcastDelivery(Envelope packet, List<String> users, String skipDevice) {

  public BroadcastDelivery {
    users = List.copyOf(users);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("packet", packet.toJson()).put("users", new JsonArray(users));
    if (skipDevice != null) {
      json.put("skip_device", skipDevice);
    }
    return json;
  }

  public static BroadcastDelivery fromJson(JsonObject json) {
    List<String> users = json.getJsonArray("users").stream().map(String.class::cast).toList();
    return new BroadcastDelivery(Envelope.fromJson(json.getJsonObject("packet")), users, json.getString("skip_device"));
  }
}
