package io.parley.message.membership;

import io.parley.shared.bus.Addresses;
import io.parley.shared.room.RoomMembership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The membership of recently used rooms, so a send costs no membership query (DESIGN §4): filled
 * from the room service on a miss, dropped when the room service publishes a change. One per
 * message-service verticle instance, touched only from its event loop.
 *
 * <p>A change that arrives while a fetch is in flight bumps the room's generation, and the fetched
 * (possibly older) membership is then not cached, so the cache can never keep a pre-change answer.
 */
public final class MembershipCache {
  private final Vertx vertx;
  private final int capacity;
  private final Map<UUID, RoomMembership> rooms;
  private final Map<UUID, Long> generations = new HashMap<>();

  public MembershipCache(Vertx vertx, int capacity) {
    this.vertx = vertx;
    this.capacity = capacity;
    this.rooms =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, RoomMembership> eldest) {
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
    generations.merge(room, 1L, Long::sum);
  }

  /** The room's live membership; empty for a room that does not exist or was deleted. */
  public Future<Optional<RoomMembership>> membership(UUID room) {
    RoomMembership cached = rooms.get(room);
    if (cached != null) {
      return Future.succeededFuture(Optional.of(cached));
    }
    long generation = generations.getOrDefault(room, 0L);
    return vertx.eventBus()
        .<JsonObject>request(Addresses.ROOM_MEMBERS, new JsonObject().put("room", room.toString()))
        .map(reply -> {
          JsonObject body = reply.body();
          if (!body.getBoolean("found", true)) {
            return Optional.<RoomMembership>empty();
          }
          RoomMembership membership = RoomMembership.fromJson(body);
          if (generations.getOrDefault(room, 0L) == generation) {
            rooms.put(room, membership);
          }
          return Optional.of(membership);
        });
  }
}
