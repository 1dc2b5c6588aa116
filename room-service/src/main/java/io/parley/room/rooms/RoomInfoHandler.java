package io.parley.room.rooms;

import io.parley.room.peers.Peers;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.packet.RoomInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * ROOM_INFO → ROOM_INFO {room, type, name, members: [{user, role, devices: [{device, chat_pubkey}]}]}:
 * the room's key directory, every member device's chat public key (from the auth service), which a
 * client needs to wrap a message's key for everyone in the room. Members are listed owners first,
 * then admins, then members, by name; a member without a registered device has {@code devices: []}.
 */
public final class RoomInfoHandler implements RequestHandler {
  private final RoomStore store;
  private final Peers peers;

  public RoomInfoHandler(RoomStore store, Peers peers) {
    this.store = store;
    this.peers = peers;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    String caller = RoomReplies.caller(request);
    RoomInfo packet = request.packet(RoomInfo.class);
    return store.findRoom(packet.room()).compose(found -> {
      if (found.isEmpty() || !found.get().isMember(caller)) {
        return Future.failedFuture(RoomReplies.roomNotFound());
      }
      var room = found.get();
      return peers.deviceKeys(room.usernames()).map(keys -> {
        JsonArray members = new JsonArray();
        room.members().forEach((user, role) -> {
          JsonArray devices = new JsonArray();
          for (Object entry : keys.get(user)) {
            if (entry instanceof JsonObject device) {
              devices.add(new JsonObject().put("device", device.getString("device")).put("chat_pubkey", device.getString("chat_pubkey")));
            }
          }
          members.add(new JsonObject().put("user", user).put("role", role.wire()).put("devices", devices));
        });
        return BusReply.of(Envelope.of(PacketType.ROOM_INFO, new JsonObject()
            .put("room", room.id().toString())
            .put("type", room.type().wire())
            .put("name", room.displayNameFor(caller))
            .put("members", members)));
      });
    });
  }
}
