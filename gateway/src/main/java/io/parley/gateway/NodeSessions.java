package io.parley.gateway;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.Delivery;
import io.parley.shared.protocol.PacketCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The authenticated sessions of this gateway process, by user and device, across all gateway
 * verticle instances (so thread-safe), and the one bus consumer that delivers pushes to them. The
 * message service sends one {@link Delivery} per node; each target session gets the packet on its own
 * event loop.
 */
final class NodeSessions {
  private final Map<String, Set<Session>> byDevice = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> byAccount = new ConcurrentHashMap<>();
  private final PacketCodec codec = new PacketCodec();

  Future<Void> listen(Vertx vertx, String node) {
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.gatewayDeliver(node), message -> deliver(Delivery.fromJson(message.body())))
        .completion();
  }

  void add(String user, String device, Session session) {
    if (byDevice.computeIfAbsent(key(user, device), k -> ConcurrentHashMap.newKeySet()).add(session)) {
      byAccount.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  void remove(String user, String device, Session session) {
    boolean[] removed = {false};
    byDevice.computeIfPresent(key(user, device), (k, sessions) -> {
      removed[0] = sessions.remove(session);
      return sessions.isEmpty() ? null : sessions;
    });
    if (removed[0]) {
      byAccount.computeIfPresent(user, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
  }

  /** Authenticated connections of {@code user} on this process. */
  int accountSessions(String user) {
    AtomicInteger count = byAccount.get(user);
    return count == null ? 0 : count.get();
  }

  /** Authenticated connections of one device on this process. */
  int deviceSessions(String user, String device) {
    Set<Session> sessions = byDevice.get(key(user, device));
    return sessions == null ? 0 : sessions.size();
  }

  /** The device's longest-open connection, the one to close when the device is over its cap. */
  Optional<Session> oldestOfDevice(String user, String device) {
    Set<Session> sessions = byDevice.get(key(user, device));
    return sessions == null ? Optional.empty() : sessions.stream().min(Comparator.comparingLong(Session::openedAtMs));
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
