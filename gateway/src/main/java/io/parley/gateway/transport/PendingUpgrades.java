package io.parley.gateway.transport;

import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.limits.Refusal;
import io.parley.gateway.limits.Refusals;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP connections to the WebSocket port that have been admitted but not yet upgraded: they hold a
 * connection ticket and a handshake slot like any unfinished handshake, so they get the same deadline
 * (the handshake timeout) and are the first shed when the handshake slots run out. One per gateway
 * verticle instance, touched only on its event loop; oldest first.
 */
public final class PendingUpgrades {
  private record Pending(HttpConnection connection, ConnectionLimits.Ticket ticket, long openedMs) {}

  private final Map<String, Pending> byPeer = new LinkedHashMap<>();

  public void add(HttpConnection connection, ConnectionLimits.Ticket ticket, long nowMs) {
    byPeer.put(key(connection.remoteAddress()), new Pending(connection, ticket, nowMs));
  }

  /** The ticket of the connection a WebSocket came in on; from now on its session owns it. */
  public ConnectionLimits.Ticket upgraded(SocketAddress peer) {
    Pending pending = byPeer.remove(key(peer));
    return pending == null ? null : pending.ticket();
  }

  public void closed(HttpConnection connection) {
    byPeer.remove(key(connection.remoteAddress()));
  }

  /** Closes connections that have not upgraded within the handshake timeout. */
  public void sweep(long nowMs, long timeoutMs, Refusals refusals) {
    Iterator<Pending> oldest = byPeer.values().iterator();
    while (oldest.hasNext()) {
      Pending pending = oldest.next();
      if (nowMs - pending.openedMs() < timeoutMs) {
        return;
      }
      oldest.remove();
      refusals.record(Refusal.HANDSHAKE_TIMEOUT, pending.ticket().address());
      close(pending);
    }
  }

  /**
   * Closes pending upgrades while the process is over its handshake cap, chosen by
   * {@link ConnectionLimits#sheddingVictim}.
   */
  public void shed(ConnectionLimits limits, Refusals refusals) {
    while (limits.handshakesOverCap() && !byPeer.isEmpty()) {
      Pending victim = limits.sheddingVictim(byPeer.values(), pending -> pending.ticket().address());
      byPeer.remove(key(victim.connection().remoteAddress()));
      refusals.record(Refusal.HANDSHAKE_SLOTS, victim.ticket().address());
      close(victim);
    }
  }

  public void closeAll() {
    for (Pending pending : byPeer.values()) {
      close(pending);
    }
    byPeer.clear();
  }

  int size() {
    return byPeer.size();
  }

  private static void close(Pending pending) {
    pending.ticket().release();
    pending.connection().close();
  }

  private static String key(SocketAddress peer) {
    return peer == null ? "" : peer.hostAddress() + ":" + peer.port();
  }
}
