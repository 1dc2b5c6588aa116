package io.parley.gateway;

import io.parley.shared.presence.Presence;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of one gateway verticle instance. Only touched from that instance's event loop,
 * so a plain map suffices; nothing here is shared across the cluster (DESIGN §4).
 */
final class SessionRegistry {
  private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

  private final Map<String, Session> sessions = new HashMap<>();
  /**
   * How many of the oldest unfinished handshakes shedding looks at for a hoarding address: enough to
   * skip a few one-at-a-time clients, bounded so shedding stays O(1) when every address holds one.
   */
  static final int SHED_SCAN = 16;

  /** Sessions that have not reached CONN_OK, oldest first: the candidates to shed for handshake slots. */
  private final Set<Session> handshaking = new LinkedHashSet<>();

  void add(Session session) {
    sessions.put(session.id(), session);
    handshaking.add(session);
  }

  void remove(Session session) {
    sessions.remove(session.id());
    handshaking.remove(session);
  }

  void handshakeDone(Session session) {
    handshaking.remove(session);
  }

  /**
   * Closes unfinished handshakes of this instance while the process is over its handshake cap: the
   * oldest of an address that holds several first, then the oldest of any.
   */
  void shedHandshakes(ConnectionLimits limits) {
    while (limits.handshakesOverCap() && !handshaking.isEmpty()) {
      Session victim = null;
      int looked = 0;
      for (Session session : handshaking) {
        if (limits.hoards(session.remoteAddress())) {
          victim = session;
          break;
        }
        if (++looked == SHED_SCAN) {
          break;
        }
      }
      if (victim == null) {
        victim = handshaking.iterator().next();
      }
      handshaking.remove(victim);
      victim.refuse(Refusal.HANDSHAKE_SLOTS);
    }
  }

  /** Runs the timeout check on every session; copies first because a check may close (remove) one. */
  void sweep(long nowMs) {
    for (Session session : new ArrayList<>(sessions.values())) {
      try {
        session.checkTimeouts(nowMs);
      } catch (RuntimeException e) {
        // One broken session must not stop the sweep for every other connection.
        log.error("timeout check failed for session {}", session.id(), e);
      }
    }
  }

  /** Keeps every authenticated device's presence entry from expiring while its connection lives. */
  Future<Void> refreshPresence(Presence presence) {
    List<Presence.Entry> entries = new ArrayList<>();
    for (Session session : sessions.values()) {
      session.presenceEntry().ifPresent(entries::add);
    }
    return presence.refreshAll(entries)
        .onFailure(failure -> log.warn("presence refresh of {} sessions failed: {}", entries.size(), failure.getMessage()));
  }

  /** Graceful shutdown: tell every client to reconnect elsewhere. */
  void closeAll(String reason) {
    for (Session session : new ArrayList<>(sessions.values())) {
      session.closeWith(Refusal.SHUTDOWN, reason);
    }
  }
}
