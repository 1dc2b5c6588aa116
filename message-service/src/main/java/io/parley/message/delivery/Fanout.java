package io.parley.message.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BroadcastDelivery;
import io.parley.shared.bus.Delivery;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.metrics.Meters;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live delivery of committed room events (DESIGN §4): looks up the online devices of the recipients
 * in one pipelined Redis round trip (shared by every push of the same event-loop turn, see
 * {@link CoalescedLookup}) and sends one ROOM_EVENT delivery per gateway node. A device that
 * misses a push finds the event with SYNC_ROOM_REQ, because the event was committed before it was
 * pushed. One instance per message-service verticle, used from its event loop.
 *
 * <p>When presence cannot be read (Redis down, or no answer within {@link #LOOKUP_TIMEOUT}) a push is
 * never dropped in silence (DESIGN §5): it is published once to every gateway
 * ({@link Addresses#GATEWAYS_BROADCAST_DELIVER}, the packet and the user list) and each gateway pushes
 * it to its own sessions of those users. Measured before this fallback: with Redis killed, 1,216 of
 * 1,596 acknowledged sends were never pushed and nobody was told. While the outage lasts, pushes go
 * straight to the broadcast (no look-up waits on a dead Redis, so a room's pushes are not slowed to one
 * per timeout), and at most one look-up every {@link #PROBE_INTERVAL} probes whether Redis answers
 * again. When it does, pushes keep going by broadcast for {@link #RECOVERY_GRACE} more: a Redis that
 * restarted empty knows no device until every gateway has re-registered its sessions, which the
 * periodic refresh does within {@link Presence#REFRESH}; reading that half-filled presence would drop
 * pushes silently again. Each push takes exactly one of the two paths, so none arrives twice.
 *
 * <p>One WARN when the fallback starts and one INFO when presence answers again (with the outage's
 * length); {@code parley_deliveries{path=presence|broadcast}} counts the pushes of each path.
 */
public final class Fanout {
  private static final Logger log = LoggerFactory.getLogger(Fanout.class);

  /**
   * A look-up slower than this counts as an outage. A healthy pipelined HGETALL answers in well under
   * a millisecond; a second covers a Redis pause (fork, failover) without stalling a room's pushes,
   * which wait for each other's look-up, for longer.
   */
  public static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(1);

  /** How often, during an outage, one push also tries a look-up to see whether Redis is back. */
  public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long pushes keep using the broadcast after presence answers again: one gateway refresh period,
   * by which every gateway has re-registered its sessions (they retry a failed refresh every second),
   * plus a margin for the refresh itself.
   */
  public static final Duration RECOVERY_GRACE = Presence.REFRESH.plusSeconds(5);

  /** Where the recipients' devices are online: a node's devices by user, for each gateway node. */
  interface DeviceLookup {
    Future<Map<String, Map<String, List<String>>>> devicesByNode(Collection<String> users);
  }

  private final Vertx vertx;
  private final DeviceLookup presence;
  private final Duration lookupTimeout;
  private final LongSupplier nanos;
  private final Timer pushTime;
  private final Counter byPresence;
  private final Counter byBroadcast;
  /** The last push of each room still in progress: a room's pushes leave in sequence order. */
  private final Map<UUID, Future<Void>> lastPush = new HashMap<>();

  /** When the current outage began (System.nanoTime scale); meaningful while {@link #degraded}. */
  private long outageStartedNanos;
  /** Broadcast instead of presence: presence failed, or answered again less than the grace ago. */
  private boolean degraded;
  /** Presence answered again at this time; -1 while it still fails. */
  private long recoveredNanos = -1;
  private long nextProbeNanos;
  private boolean probing;

  public Fanout(Vertx vertx, Presence presence) {
    this(vertx, new CoalescedLookup(vertx, presence::devicesByNode), System::nanoTime, LOOKUP_TIMEOUT);
  }

  /** Tests pass a look-up whose answers they hold, their own clock and a timeout to suit. */
  Fanout(Vertx vertx, DeviceLookup presence, LongSupplier nanos, Duration lookupTimeout) {
    this.vertx = vertx;
    this.presence = presence;
    this.nanos = nanos;
    this.lookupTimeout = lookupTimeout;
    MeterRegistry registry = Meters.registry();
    pushTime = Timer.builder("parley.message.push")
        .description("From a committed event to its deliveries handed to the bus (presence look-up included)")
        .register(registry);
    byPresence = Counter.builder("parley_deliveries").tag("path", "presence").register(registry);
    byBroadcast = Counter.builder("parley_deliveries").tag("path", "broadcast").register(registry);
  }

  /**
   * Pushes the event to every online device of {@code users}, except {@code skipDevice} (the device
   * that caused it, which has its own reply), or none when null.
   */
  public Future<Void> push(RoomEvent event, Collection<String> users, UUID skipDevice) {
    // Each push waits for the presence look-up of the room's previous one: look-ups of consecutive
    // events can otherwise complete out of order, and members would see seq 8 before seq 7.
    UUID room = event.room();
    long committed = nanos.getAsLong();
    Future<Void> previous = lastPush.getOrDefault(room, Future.succeededFuture());
    Future<Void> mine = previous.transform(done -> pushPacket(Envelope.of(PacketType.ROOM_EVENT, event.toJson()), users, skipDevice));
    lastPush.put(room, mine);
    mine.onComplete(done -> {
      lastPush.remove(room, mine);
      pushTime.record(nanos.getAsLong() - committed, TimeUnit.NANOSECONDS);
    });
    return mine;
  }

  /** Pushes any server packet (a receipt) the same way. */
  public Future<Void> pushPacket(Envelope packet, Collection<String> users, UUID skipDevice) {
    String skip = skipDevice == null ? null : skipDevice.toString();
    if (users.isEmpty()) {
      return Future.succeededFuture();
    }
    if (stillDegraded()) {
      probe(users);
      broadcast(packet, users, skip);
      return Future.succeededFuture();
    }
    return presence.devicesByNode(users)
        .timeout(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .transform(lookup -> {
          if (lookup.failed()) {
            presenceFailed(lookup.cause());
            broadcast(packet, users, skip);
          } else if (degraded) {
            // Another push's look-up failed while this one was in flight: the outage decides.
            broadcast(packet, users, skip);
          } else {
            sendPerNode(packet, lookup.result(), skip);
          }
          return Future.succeededFuture();
        });
  }

  /** Whether pushes still go by broadcast; ends the fallback once the grace after recovery is over. */
  private boolean stillDegraded() {
    if (degraded && recoveredNanos >= 0 && nanos.getAsLong() - recoveredNanos >= RECOVERY_GRACE.toNanos()) {
      degraded = false;
      recoveredNanos = -1;
      log.info("live delivery goes through presence again");
    }
    return degraded;
  }

  /** At most one look-up per probe interval, not awaited: the push itself has already gone by broadcast. */
  private void probe(Collection<String> users) {
    long now = nanos.getAsLong();
    if (recoveredNanos >= 0 || probing || now - nextProbeNanos < 0) {
      return;
    }
    probing = true;
    nextProbeNanos = now + PROBE_INTERVAL.toNanos();
    presence.devicesByNode(users)
        .timeout(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(lookup -> {
          probing = false;
          if (lookup.succeeded() && degraded && recoveredNanos < 0) {
            recoveredNanos = nanos.getAsLong();
            log.info(
                "presence answers again after an outage of {} s; pushes keep going to every gateway for {} s more, until the"
                    + " gateways have re-registered their sessions",
                Duration.ofNanos(recoveredNanos - outageStartedNanos).toSeconds(),
                RECOVERY_GRACE.toSeconds());
          }
        });
  }

  /** Presence answered again and the grace runs (for tests). */
  boolean recovering() {
    return degraded && recoveredNanos >= 0;
  }

  private void presenceFailed(Throwable cause) {
    if (degraded) {
      // An outage already under way, or a relapse during the grace: wait for the next probe again.
      recoveredNanos = -1;
      return;
    }
    degraded = true;
    recoveredNanos = -1;
    outageStartedNanos = nanos.getAsLong();
    nextProbeNanos = outageStartedNanos + PROBE_INTERVAL.toNanos();
    log.warn("presence could not be read ({}); live pushes go to every gateway until it answers again", cause.toString());
  }

  private void broadcast(Envelope packet, Collection<String> users, String skip) {
    vertx.eventBus().publish(Addresses.GATEWAYS_BROADCAST_DELIVER, new BroadcastDelivery(packet, List.copyOf(users), skip).toJson());
    byBroadcast.increment();
  }

  private void sendPerNode(Envelope packet, Map<String, Map<String, List<String>>> byNode, String skip) {
    byNode.forEach((node, devicesByUser) -> {
      List<Delivery.Target> targets = targets(devicesByUser, skip);
      if (!targets.isEmpty()) {
        vertx.eventBus().send(Addresses.gatewayDeliver(node), new Delivery(packet, targets).toJson());
      }
    });
    byPresence.increment();
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
