package io.parley.gateway.session;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BroadcastDelivery;
import io.parley.shared.bus.Delivery;
import io.parley.shared.bus.SessionsRevoked;
import io.parley.shared.protocol.PacketCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticated sessions of this gateway process, by user and device, across all gateway
 * verticle instances (so thread-safe), the bus consumer that delivers pushes to them, and the one
 * that ends the sessions a revocation (LOGOUT, REVOKE_DEVICE) covers. The
 * message service sends one {@link Delivery} per node; each target session gets the packet on its own
 * event loop. While the message service cannot read presence it publishes a {@link BroadcastDelivery}
 * to every gateway instead, naming users rather than devices; each process pushes it to its own
 * sessions of those users, found in the per-account index.
 */
public final class NodeSessions {
  private final Map<String, Set<Session>> byDevice = new ConcurrentHashMap<>();
  private final Map<String, Set<Session>> byAccount = new ConcurrentHashMap<>();
  private final PacketCodec codec = new PacketCodec();

  public Future<Void> listen(Vertx vertx, String node) {
    return Future.join(
            vertx.eventBus()
                .<JsonObject>consumer(Addresses.gatewayDeliver(node), message -> deliver(Delivery.fromJson(message.body())))
                .completion(),
            vertx.eventBus()
                .<JsonObject>consumer(Addresses.GATEWAYS_BROADCAST_DELIVER, message -> deliver(BroadcastDelivery.fromJson(message.body())))
                .completion(),
            vertx.eventBus()
                .<JsonObject>consumer(Addresses.EVENTS_SESSIONS_REVOKED, message -> revoke(SessionsRevoked.fromJson(message.body())))
                .completion())
        .mapEmpty();
  }

  /** Ends the authentication of every session the revocation covers, each on its own event loop. */
  private void revoke(SessionsRevoked revoked) {
    Set<Session> sessions = byAccount.get(revoked.user());
    if (sessions != null) {
      sessions.forEach(session -> session.revokeFromAnyThread(revoked));
    }
  }

  void add(String user, String device, Session session) {
    byDevice.computeIfAbsent(key(user, device), k -> ConcurrentHashMap.newKeySet()).add(session);
    byAccount.computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet()).add(session);
  }

  void remove(String user, String device, Session session) {
    byDevice.computeIfPresent(key(user, device), (k, sessions) -> {
      sessions.remove(session);
      return sessions.isEmpty() ? null : sessions;
    });
    byAccount.computeIfPresent(user, (k, sessions) -> {
      sessions.remove(session);
      return sessions.isEmpty() ? null : sessions;
    });
  }

  /** Authenticated connections of {@code user} on this process. */
  int accountSessions(String user) {
    Set<Session> sessions = byAccount.get(user);
    return sessions == null ? 0 : sessions.size();
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

  /** Accounts with at least one authenticated connection on this process. */
  public int accounts() {
    return byAccount.size();
  }

  public int size() {
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

  /**
   * Encodes the packet once, like the per-node delivery, for every session of the named users on this
   * process; each session skips it on its own event loop when it is the device that caused it.
   */
  private void deliver(BroadcastDelivery delivery) {
    byte[] encoded = null;
    for (String user : delivery.users()) {
      Set<Session> sessions = byAccount.get(user);
      if (sessions == null) {
        continue;
      }
      if (encoded == null) {
        encoded = codec.encode(delivery.packet());
      }
      for (Session session : sessions) {
        session.pushFromAnyThread(delivery.packet(), encoded, user, delivery.skipDevice());
      }
    }
  }

  private static String key(String user, String device) {
    return user + '\n' + device;
  }
}
