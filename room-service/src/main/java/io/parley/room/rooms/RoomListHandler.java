package io.parley.room.rooms;

import io.parley.room.peers.Peers;
import io.parley.room.peers.Peers.RoomStats;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * ROOM_LIST → ROOM_LIST {rooms}: the caller's live rooms (newest membership first) with type, the
 * name the caller sees, member count and role from this service, and the last sequence number and
 * unread count from the message service (0 and 0 for a room it has no counters for).
 */
public final class RoomListHandler implements RequestHandler {
  private final RoomStore store;
  private final Peers peers;

  public RoomListHandler(RoomStore store, Peers peers) {
    this.store = store;
    this.peers = peers;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    String caller = RoomReplies.caller(request);
    return store.roomsOf(caller).compose(rooms -> peers
        .roomStats(caller, rooms.stream().map(ListedRoom::id).toList())
        .map(stats -> {
          JsonArray list = new JsonArray();
          for (ListedRoom room : rooms) {
            RoomStats counters = stats.getOrDefault(room.id(), RoomStats.NONE);
            list.add(new JsonObject()
                .put("room", room.id().toString())
                .put("type", room.type().wire())
                .put("name", room.name())
                .put("members", room.members())
                .put("role", room.role().wire())
                .put("last_seq", counters.lastSeq())
                .put("unread", counters.unread()));
          }
          return BusReply.of(Envelope.of(PacketType.ROOM_LIST, new JsonObject().put("rooms", list)));
        }));
  }
}
