package io.parley.room.rooms;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.InternalHandler;
import io.parley.shared.protocol.packet.RoomType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * The room service's parley-admin requests: room sizes ({@link Addresses#ROOM_ADMIN_SIZES}) and the
 * rooms one person is in ({@link Addresses#ROOM_ADMIN_ROOMS_OF}), for an export of their data. Only
 * names, types, sizes and roles: what was said in a room is the message service's, and end-to-end
 * encrypted.
 */
public final class RoomAdminHandlers {
  private final RoomStore store;
  private final RoomSizes sizes;

  public RoomAdminHandlers(RoomStore store, RoomSizes sizes) {
    this.store = store;
    this.sizes = sizes;
  }

  public Map<String, InternalHandler> handlers() {
    return Map.of(Addresses.ROOM_ADMIN_SIZES, this::largest, Addresses.ROOM_ADMIN_ROOMS_OF, this::roomsOf);
  }

  private Future<JsonObject> largest(JsonObject request) {
    return sizes.largest(request.getInteger("limit")).map(rooms -> {
      JsonArray list = new JsonArray();
      rooms.forEach(room -> list.add(new JsonObject()
          .put("room", room.room().toString())
          .put("type", typeName(RoomType.fromWire(room.type()).orElseThrow()))
          .put("name", room.name())
          .put("members", room.members())));
      return new JsonObject().put("rooms", list);
    });
  }

  private Future<JsonObject> roomsOf(JsonObject request) {
    return store.roomsOf(request.getString("user")).map(rooms -> {
      JsonArray list = new JsonArray();
      for (ListedRoom room : rooms) {
        list.add(new JsonObject()
            .put("room", room.id().toString())
            .put("type", typeName(room.type()))
            .put("name", room.name())
            .put("members", room.members())
            .put("role", room.role().name().toLowerCase(Locale.ROOT)));
      }
      return new JsonObject().put("rooms", list);
    });
  }

  private static String typeName(RoomType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
