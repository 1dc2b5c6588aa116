package io.parley.shared.bus;

import io.parley.shared.protocol.Envelope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One packet for some devices connected to one gateway node, sent to
 * {@link Addresses#gatewayDeliver(String)}. The message service sends one per node per event, never
 * one per device, so fan-out costs bus messages per gateway, not per member.
 */
public record Delivery(Envelope packet, List<Target> targets) {

  /** A device of a user; the gateway pushes to every connection of that device it holds. */
  public record Target(String user, String device) {}

  public Delivery {
    targets = List.copyOf(targets);
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    targets.forEach(target -> list.add(new JsonObject().put("user", target.user()).put("device", target.device())));
    return new JsonObject().put("packet", packet.toJson()).put("targets", list);
  }

  public static Delivery fromJson(JsonObject json) {
    List<Target> targets =
        json.getJsonArray("targets").stream()
            .map(JsonObject.class::cast)
            .map(target -> new Target(target.getString("user"), target.getString("device")))
            .toList();
    return new Delivery(Envelope.fromJson(json.getJsonObject("packet")), targets);
  }
}
