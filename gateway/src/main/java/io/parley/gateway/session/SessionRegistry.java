package io.parley.gateway.session;

import io.micrometer.core.instrument.Counter;
import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.limits.Refusal;
import io.parley.shared.presence.Presence;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of one gateway verticle instance. Only touched from that instance's event loop,
 * so a plain map suffices; nothing here is shared across the cluster (DESIGN §4).
 */
public final class SessionRegistry {
  private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

  private final Map<String, Session> sessions = new HashMap<>();
  /** Sessions that have not reached CONN_OK, oldest first: the candidates to shed for handshake slots. */
  private final Set<Session> handshaking = new LinkedHashSet<>();
  /** Counts the times Redis was found to have lost this instance's presence entries. */
  private final Counter presenceLost;

  public SessionRegistry(Counter presenceLost) {
    this.presenceLost = presenceLost;
  }

  public void add(Session session) {
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
   * Closes unfinished handshakes of this instance while the process is over its handshake cap, chosen
   * by {@link ConnectionLimits#sheddingVictim}.
   */
  public void shedHandshakes(ConnectionLimits limits) {
    while (limits.handshakesOverCap() && !handshaking.isEmpty()) {
      Session victim = limits.sheddingVictim(handshaking, Session::remoteAddress);
      handshaking.remove(victim);
      victim.refuse(Refusal.HANDSHAKE_SLOTS);
    }
  }

  /** Runs the timeout check on every session; copies first because a check may close (remove) one. */
  public void sweep(long nowMs) {
    for (Session session : new ArrayList<>(sessions.values())) {
      try {
        session.checkTimeouts(nowMs);
      } catch (RuntimeException e) {
        // One broken session must not stop the sweep for every other connection.
        log.error("timeout check failed for session {}", session.id(), e);
      }
    }
  }

  /**
   * How often the gateway checks whether a presence refresh is due; also the pause before retrying a
   * failed one. A second keeps a restarted Redis without this gateway's sessions for about that long,
   * and costs one attempt per second per gateway instance while Redis is down.
   */
  public static final long PRESENCE_TICK_MS = 1_000;

  /** When the next presence refresh is due: {@link Presence#REFRESH} after a good one, a tick after a failed one. */
  private long presenceDueMs = Long.MIN_VALUE;
  private boolean presenceRefreshing;
  /** When presence writes began to fail; -1 while they work. One WARN when they fail, one INFO when they work again. */
  private long presenceFailingSinceMs = -1;
  /** Written with every refresh; gone from Redis means Redis lost what this instance wrote. */
  private final String presenceMarker = UUID.randomUUID().toString();
  /** A refresh has written the marker since start (or since it was last found missing). */
  private boolean markerWritten;
  private boolean checkingMarker;

  /**
   * Keeps every authenticated device's presence entry from expiring while its connection lives, and
   * re-registers them all within a tick once Redis answers again after an outage (a restarted Redis
   * may have lost them), or once Redis turns out to have lost them without any write failing (a quick
   * restart, a failover, a flush: the instance's marker is gone). Called every {@link #PRESENCE_TICK_MS};
   * between refreshes it only checks the marker.
   */
  public Future<Void> refreshPresenceIfDue(Presence presence, long nowMs) {
    if (presenceRefreshing || checkingMarker) {
      return Future.succeededFuture();
    }
    if (nowMs < presenceDueMs) {
      return markerWritten ? checkMarker(presence, nowMs) : Future.succeededFuture();
    }
    List<Presence.Entry> entries = new ArrayList<>();
    for (Session session : sessions.values()) {
      session.presenceEntry().ifPresent(entries::add);
    }
    presenceRefreshing = true;
    return presence.refreshAll(entries, presenceMarker)
        // A Redis that never answers must not stop the refreshes for good.
        .timeout(Presence.REFRESH.toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          presenceRefreshing = false;
          if (done.succeeded()) {
            if (markerWritten && !done.result()) {
              // Lost between two checks, and this refresh came first: it has just written everything again.
              lost(entries.size());
            }
            markerWritten = true;
            presenceDueMs = nowMs + Presence.REFRESH.toMillis();
            if (presenceFailingSinceMs >= 0) {
              log.info("presence writes work again after {} s; {} sessions re-registered", (nowMs - presenceFailingSinceMs) / 1000, entries.size());
              presenceFailingSinceMs = -1;
            }
          } else {
            presenceFailed(nowMs, done.cause());
          }
        })
        .mapEmpty();
  }

  /** One EXISTS a tick: when the marker is gone, every entry is written again at once. */
  private Future<Void> checkMarker(Presence presence, long nowMs) {
    checkingMarker = true;
    return presence.markerPresent(presenceMarker)
        .timeout(PRESENCE_TICK_MS, TimeUnit.MILLISECONDS)
        .transform(checked -> {
          checkingMarker = false;
          if (checked.failed() || checked.result()) {
            return Future.succeededFuture(); // unreachable Redis says nothing: failed writes will tell
          }
          markerWritten = false;
          presenceDueMs = Long.MIN_VALUE;
          lost(sessions.size());
          return refreshPresenceIfDue(presence, nowMs);
        });
  }

  private void lost(int sessionsToWrite) {
    presenceLost.increment();
    log.info("Redis no longer held this gateway's presence entries (restarted empty, failed over or flushed); re-registering {} sessions",
        sessionsToWrite);
  }

  /**
   * A presence write failed (a session's, or the refresh): retry within a tick, and say so once per
   * outage rather than once per session.
   */
  void presenceFailed(long nowMs, Throwable cause) {
    presenceDueMs = Math.min(presenceDueMs, nowMs + PRESENCE_TICK_MS);
    if (presenceFailingSinceMs < 0) {
      presenceFailingSinceMs = nowMs;
      log.warn("presence writes fail ({}); retrying every {} ms, sessions stay reachable through the broadcast delivery",
          cause.toString(), PRESENCE_TICK_MS);
    }
  }

  /** Graceful shutdown: tell every client to reconnect elsewhere. */
  public void closeAll(String reason) {
    for (Session session : new ArrayList<>(sessions.values())) {
      session.closeWith(Refusal.SHUTDOWN, reason);
    }
  }
}
