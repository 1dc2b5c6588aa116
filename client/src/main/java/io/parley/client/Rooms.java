package io.parley.client;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.protocol.packet.CreateRoom;
import io.parley.shared.protocol.packet.RoomInfo;
import io.parley.shared.protocol.packet.RoomList;
import io.parley.shared.protocol.packet.RoomType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * Rooms over one authenticated connection: CREATE_ROOM, the ALTER_ROOM actions, ROOM_LIST and
 * ROOM_INFO (docs/protocol-rooms.md). Every method fails with {@link ParleyStatusException} carrying
 * the server's STATUS (ROOM_NOT_FOUND, FORBIDDEN with the rule, BAD_PACKET naming the field...).
 */
public final class Rooms {
  private final ParleyConnection connection;

  public Rooms(ParleyConnection connection) {
    this.connection = connection;
  }

  /**
   * CREATE_ROOM → ROOM_OK: the new room's id; for a direct room ({@code people} = the one other
   * person) the existing room of the pair when there is one. {@code name} may be null for a direct room.
   */
  public Future<UUID> createRoom(RoomType type, String name, List<String> people) {
    return expectRoomOk(new CreateRoom(type, name, people).toEnvelope())
        .map(reply -> UUID.fromString(reply.data().getString("room")));
  }

  /** add: the people join as members (owners and admins of groups and channels). */
  public Future<Void> addMembers(UUID room, List<String> people) {
    return alter(new AlterRoom.Add(room, people));
  }

  /** remove: an owner removes admins and members, an admin removes members. */
  public Future<Void> removeMember(UUID room, String user) {
    return alter(new AlterRoom.Remove(room, user));
  }

  public Future<Void> rename(UUID room, String name) {
    return alter(new AlterRoom.Rename(room, name));
  }

  /** leave: the last owner must promote someone to owner first (or delete the room). */
  public Future<Void> leave(UUID room) {
    return alter(new AlterRoom.Leave(room));
  }

  /** promote: one step up, member → admin → owner (owners only). */
  public Future<Void> promote(UUID room, String user) {
    return alter(new AlterRoom.Promote(room, user));
  }

  /** demote: one step down, owner → admin → member (owners only). */
  public Future<Void> demote(UUID room, String user) {
    return alter(new AlterRoom.Demote(room, user));
  }

  /** delete: the room disappears for everyone (owners only; either person of a direct room). */
  public Future<Void> deleteRoom(UUID room) {
    return alter(new AlterRoom.Delete(room));
  }

  /**
   * ROOM_LIST: the caller's rooms, each {@code {room, type, name, members, role, last_seq, unread}}
   * (a direct room's name is the other person's username).
   */
  public Future<JsonArray> roomList() {
    return expect(new RoomList().toEnvelope(), PacketType.ROOM_LIST)
        .map(reply -> reply.data().getJsonArray("rooms", new JsonArray()));
  }

  /**
   * ROOM_INFO: {@code {room, type, name, members: [{user, role, devices: [{device, chat_pubkey}]}]}},
   * the key directory to wrap a message's key for every member device.
   */
  public Future<JsonObject> roomInfo(UUID room) {
    return expect(new RoomInfo(room).toEnvelope(), PacketType.ROOM_INFO).map(Envelope::data);
  }

  private Future<Void> alter(AlterRoom.Action action) {
    return expectRoomOk(new AlterRoom(action).toEnvelope()).mapEmpty();
  }

  private Future<Envelope> expectRoomOk(Envelope request) {
    return connection.request(request).compose(reply -> reply.statusCode().filter(StatusCode.ROOM_OK::equals).isPresent()
        ? Future.succeededFuture(reply)
        : Future.failedFuture(new ParleyStatusException(reply)));
  }

  private Future<Envelope> expect(Envelope request, PacketType type) {
    return connection.request(request).compose(reply -> reply.is(type)
        ? Future.succeededFuture(reply)
        : Future.failedFuture(new ParleyStatusException(reply)));
  }
}
