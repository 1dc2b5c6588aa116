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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Live delivery of committed room events (DESIGN §4): looks up the online devices of the recipients
 * in one pipelined Redis round trip and sends one ROOM_EVENT delivery per gateway node. Best effort by
 * design: a device that misses a push finds the event with SYNC_ROOM_REQ, because the event was
 * committed before it was pushed. One instance per message-service verticle, used from its event loop.
 */
public final class Fanout {
  private final Vertx vertx;
  private final Presence presence;
  /** The last push of each room still in progress: a room's pushes leave in sequence order. */
  private final Map<UUID, Future<Void>> lastPush = new HashMap<>();

  public Fanout(Vertx vertx, Presence presence) {
    this.vertx = vertx;
    this.presence = presence;
  }

  /**
   * Pushes the event to every online device of {@code users}, except {@code skipDevice} (the device
   * that caused it, which has its own reply), or none when null.
   */
  public Future<Void> push(RoomEvent event, Collection<String> users, UUID skipDevice) {
    // Each push waits for the presence look-up of the room's previous one: look-ups of consecutive
    // events can otherwise complete out of order, and members would see seq 8 before seq 7.
    UUID room = event.room();
    Future<Void> previous = lastPush.getOrDefault(room, Future.succeededFuture());
    Future<Void> mine = previous.transform(done -> pushPacket(Envelope.of(PacketType.ROOM_EVENT, event.toJson()), users, skipDevice));
    lastPush.put(room, mine);
    mine.onComplete(done -> lastPush.remove(room, mine));
    return mine;
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
