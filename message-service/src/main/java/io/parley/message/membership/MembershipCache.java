package io.parley.message.membership;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.room.RoomMembership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The membership of recently used rooms, so a send costs no membership query (DESIGN §4): filled
 * from the room service on a miss, dropped when the room service publishes a change. One per
 * message-service verticle instance, touched only from its event loop (so no locks: every method
 * and every reply callback runs on that one thread).
 *
 * <h2>Expiry: the published invalidation is a fast path, not the guarantee</h2>
 * A published message on a clustered bus can be lost (an instance that was reconnecting, a dropped
 * TCP connection, a room service that died between its commit and its publish). With entries that
 * never expired, one lost invalidation let a removed member send and sync in that room for as long as
 * the entry stayed hot — for ever. So every entry also expires {@code ttl} after the fetch that
 * produced it <em>was sent</em> (not after its reply arrived: the answer may reflect the room as it was
 * at any moment in between), and is then fetched again. A lost invalidation therefore leaves a stale
 * answer for at most {@code ttl} plus one bus round trip. The cost is one {@code parley.room.members}
 * request per hot room per instance per {@code ttl}; concurrent misses of a room share one fetch, so an
 * expiry under load does not become a burst of identical requests. Time comes from a monotonic source
 * ({@link System#nanoTime} in production), so a wall-clock step cannot stretch an entry's life.
 *
 * <h2>Bounds</h2>
 * At most {@code capacity} rooms are cached (least recently used leaves first). The only other state
 * is the fetches in flight, at most one per room, each ended by its bus request's reply or timeout.
 * Nothing is kept per room ever seen.
 *
 * <h2>A change during a fetch</h2>
 * A fetch that is in flight when the room's invalidation arrives may carry the membership from before
 * the change; caching it would keep the pre-change answer until expiry although the invalidation was
 * not lost. An earlier version numbered each room's invalidations in a map that grew with every room
 * ever changed; the number was only ever compared for a fetch in flight, so the fetch itself is now the
 * token: an invalidation forgets the room's fetch in flight, a fetch caches its answer only if it is
 * still the room's current fetch when its reply arrives, and a request arriving after the invalidation
 * starts a new fetch instead of joining the old one. Requests that had joined the old fetch get its
 * answer, as they would have without the cache: they were asked before the change was announced.
 */
public final class MembershipCache {
  private final Vertx vertx;
  private final BusClient bus;
  private final int capacity;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<UUID, Entry> rooms;
  /** Each room's current fetch; a fetch no longer here must not cache its answer. */
  private final Map<UUID, Future<Optional<RoomMembership>>> fetching = new HashMap<>();

  private record Entry(RoomMembership membership, long expiresAtNanos) {}

  public MembershipCache(Vertx vertx, BusClient bus, int capacity, Duration ttl) {
    this(vertx, bus, capacity, ttl, System::nanoTime);
  }

  /** @param nanoTime a monotonic clock in nanoseconds (tests pass one they advance) */
  public MembershipCache(Vertx vertx, BusClient bus, int capacity, Duration ttl, LongSupplier nanoTime) {
    if (capacity < 1 || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("capacity must be at least 1 and ttl positive");
    }
    this.vertx = vertx;
    this.bus = bus;
    this.capacity = capacity;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
    this.rooms =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, Entry> eldest) {
            return size() > MembershipCache.this.capacity;
          }
        };
  }

  /** Starts listening for membership changes; call once from the owning verticle's start. */
  public Future<Void> listen() {
    return vertx.eventBus()
        .<JsonObject>consumer(Addresses.EVENTS_MEMBERSHIP_CHANGED, message -> invalidate(UUID.fromString(message.body().getString("room"))))
        .completion();
  }

  public void invalidate(UUID room) {
    rooms.remove(room);
    fetching.remove(room);
  }

  /** The room's live membership; empty for a room that does not exist or was deleted. */
  public Future<Optional<RoomMembership>> membership(UUID room) {
    Entry cached = rooms.get(room);
    if (cached != null) {
      // Overflow-safe comparison of monotonic times.
      if (nanoTime.getAsLong() - cached.expiresAtNanos() < 0) {
        return Future.succeededFuture(Optional.of(cached.membership()));
      }
      rooms.remove(room);
    }
    Future<Optional<RoomMembership>> current = fetching.get(room);
    return current != null ? current : fetch(room);
  }

  private Future<Optional<RoomMembership>> fetch(UUID room) {
    long expiresAt = nanoTime.getAsLong() + ttlNanos;
    Future<Optional<RoomMembership>> fetch = bus
        .<JsonObject>request(Addresses.ROOM_MEMBERS, new JsonObject().put("room", room.toString()))
        .map(body -> body.getBoolean("found", true) ? Optional.of(RoomMembership.fromJson(body)) : Optional.<RoomMembership>empty());
    fetching.put(room, fetch);
    fetch.onComplete(done -> {
      // Not the room's current fetch any more: an invalidation arrived while it was in flight.
      if (fetching.get(room) != fetch) {
        return;
      }
      fetching.remove(room);
      // Only live rooms are cached, as before: "no such room" is not worth an entry.
      if (done.succeeded() && done.result().isPresent()) {
        rooms.put(room, new Entry(done.result().get(), expiresAt));
      }
    });
    return fetch;
  }

  /** Rooms cached now, expired ones included until they are next asked for or evicted. */
  int cachedRooms() {
    return rooms.size();
  }

  /** Rooms with a fetch in flight. */
  int fetchesInFlight() {
    return fetching.size();
  }
}
