package io.parley.room.peers;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.events.AppendRoomEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The room service's requests to the other services (the internal addresses of {@link Addresses}),
 * with their JSON shapes in one place. An auth or message service that does not answer in time makes
 * the client request fail with UNAVAILABLE (retry), never hang ({@link BusClient}'s policy).
 */
public final class Peers {
  /** A room's counters in the message service's log. */
  public record RoomStats(long lastSeq, long unread) {
    public static final RoomStats NONE = new RoomStats(0, 0);
  }

  private final Vertx vertx;
  private final BusClient bus;

  /** @param bus waits per {@link io.parley.shared.bus.BusTimeouts}: well inside the gateway's own wait */
  public Peers(Vertx vertx, BusClient bus) {
    this.vertx = vertx;
    this.bus = bus;
  }

  /** The users (of {@code users}) without an account, in the order asked. */
  public Future<List<String>> unknownUsers(List<String> users) {
    if (users.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return request(Addresses.AUTH_USERS_EXIST, new JsonObject().put("users", new JsonArray(users)))
        .map(reply -> {
          List<String> unknown = new ArrayList<>();
          reply.getJsonArray("unknown", new JsonArray()).forEach(user -> unknown.add(String.valueOf(user)));
          return users.stream().filter(unknown::contains).toList();
        });
  }

  /** Each user's devices with their chat public keys: user → [{device, chat_pubkey}]; absent = none. */
  public Future<Map<String, JsonArray>> deviceKeys(List<String> users) {
    return request(Addresses.AUTH_DEVICE_KEYS, new JsonObject().put("users", new JsonArray(users)))
        .map(reply -> {
          JsonObject keys = reply.getJsonObject("keys", new JsonObject());
          Map<String, JsonArray> byUser = new HashMap<>();
          for (String user : users) {
            byUser.put(user, keys.getJsonArray(user, new JsonArray()));
          }
          return byUser;
        });
  }

  /** The user's counters per room; a room the message service has no events for is absent. */
  public Future<Map<UUID, RoomStats>> roomStats(String user, List<UUID> rooms) {
    if (rooms.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    JsonArray ids = new JsonArray();
    rooms.forEach(room -> ids.add(room.toString()));
    return request(Addresses.MESSAGE_ROOM_STATS, new JsonObject().put("user", user).put("rooms", ids))
        .map(reply -> {
          JsonObject stats = reply.getJsonObject("stats", new JsonObject());
          Map<UUID, RoomStats> byRoom = new HashMap<>();
          for (UUID room : rooms) {
            JsonObject entry = stats.getJsonObject(room.toString());
            if (entry != null) {
              byRoom.put(room, new RoomStats(entry.getLong("last_seq", 0L), entry.getLong("unread", 0L)));
            }
          }
          return byRoom;
        });
  }

  /**
   * Tells every message-service instance (publish, fire and forget) that a committed change made its
   * cached membership of {@code room} stale. Sent before the change's events are appended, so an
   * instance that appends or pushes them no longer uses the old members.
   */
  public void membershipChanged(UUID room) {
    vertx.eventBus().publish(Addresses.EVENTS_MEMBERSHIP_CHANGED, new JsonObject().put("room", room.toString()));
  }

  /**
   * Appends one event to its room's log; fails when the message service fails or does not answer in
   * time. Safe to repeat: the message service appends an event id once.
   */
  public Future<Void> appendRoomEvent(AppendRoomEvent event) {
    return bus.request(Addresses.MESSAGE_APPEND_ROOM_EVENT, event).mapEmpty();
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return bus.<JsonObject>request(address, body).map(reply -> reply == null ? new JsonObject() : reply);
  }
}
