package io.parley.message.delivery;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.Delivery;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Live delivery of committed room events (DESIGN §4): looks up the online devices of the recipients
 * in one pipelined Redis round trip and sends one ROOM_EVENT delivery per gateway node. Best effort by
 * design: a device that misses a push finds the event with SYNC_ROOM_REQ, because the event was
 * committed before it was pushed.
 */
public final class Fanout {
  private final Vertx vertx;
  private final Presence presence;

  public Fanout(Vertx vertx, Presence presence) {
    this.vertx = vertx;
    this.presence = presence;
  }

  /**
   * Pushes the event to every online device of {@code users}, except {@code skipDevice} (the device
   * that caused it, which has its own reply), or none when null.
   */
  public Future<Void> push(RoomEvent event, Collection<String> users, UUID skipDevice) {
    return pushPacket(Envelope.of(PacketType.ROOM_EVENT, event.toJson()), users, skipDevice);
  }

  /** Pushes any server packet (a receipt) the same way. */
  public Future<Void> pushPacket(Envelope packet, Collection<String> users, UUID skipDevice) {
    String skip = skipDevice == null ? null : skipDevice.toString();
    return presence.devicesByNode(users).map(byNode -> {
      byNode.forEach((node, devicesByUser) -> {
        List<Delivery.Target> targets = targets(devicesByUser, skip);
        if (!targets.isEmpty()) {
          vertx.eventBus().send(Addresses.gatewayDeliver(node), new Delivery(packet, targets).toJson());
        }
      });
      return null;
    });
  }

  private static List<Delivery.Target> targets(Map<String, List<String>> devicesByUser, String skip) {
    List<Delivery.Target> targets = new ArrayList<>();
    devicesByUser.forEach((user, devices) -> {
      for (String device : devices) {
        if (!device.equals(skip)) {
          targets.add(new Delivery.Target(user, device));
        }
      }
    });
    return targets;
  }
}
