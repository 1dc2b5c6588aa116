package io.parley.gateway;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.Delivery;
import io.parley.shared.protocol.PacketCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated sessions of this gateway process, by user and device, across all gateway
 * verticle instances (so thread-safe), and the one bus consumer that delivers pushes to them. The
 * message service sends one {@link Delivery} per node; each target session gets the packet on its own
 * event loop.
 */
final class NodeSessions {
  private final Map<String, Set<Session>> byDevice = new ConcurrentHashMap<>();
  private final PacketCodec codec = new PacketCodec();

  Future<Void> listen(Vertx vertx, String node) {
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.gatewayDeliver(node), message -> deliver(Delivery.fromJson(message.body())))
        .completion();
  }

  void add(String user, String device, Session session) {
    byDevice.computeIfAbsent(key(user, device), k -> ConcurrentHashMap.newKeySet()).add(session);
  }

  void remove(String user, String device, Session session) {
    byDevice.computeIfPresent(key(user, device), (k, sessions) -> {
      sessions.remove(session);
      return sessions.isEmpty() ? null : sessions;
    });
  }

  int size() {
    return byDevice.values().stream().mapToInt(Set::size).sum();
  }

  /** Encodes the packet once for every target; each session only encrypts it. */
  private void deliver(Delivery delivery) {
    byte[] encoded = codec.encode(delivery.packet());
    for (Delivery.Target target : delivery.targets()) {
      Set<Session> sessions = byDevice.get(key(target.user(), target.device()));
      if (sessions != null) {
        sessions.forEach(session -> session.pushFromAnyThread(delivery.packet(), encoded, target.user()));
      }
    }
  }

  private static String key(String user, String device) {
    return user + '\n' + device;
  }
}
