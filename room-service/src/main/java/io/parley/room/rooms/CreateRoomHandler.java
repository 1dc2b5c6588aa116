package io.parley.room.rooms;

import io.parley.room.outbox.OutboxRelay;
import io.parley.room.peers.Peers;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.events.UuidV7;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.packet.CreateRoom;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * CREATE_ROOM → STATUS ROOM_OK {room, existing}: a direct room (the caller and one other person,
 * both owners; an existing pair gets its room back with {@code existing: true}), a group or a
 * channel (the caller owner, the people members). Every person must have an account; a room holds
 * at most {@link Limits#ROOM_PEOPLE_MAX} members, the caller included.
 */
public final class CreateRoomHandler implements RequestHandler {
  private final RoomStore store;
  private final Peers peers;
  private final OutboxRelay relay;

  public CreateRoomHandler(RoomStore store, Peers peers, OutboxRelay relay) {
    this.store = store;
    this.peers = peers;
    this.relay = relay;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    String caller = RoomReplies.caller(request);
    CreateRoom packet = request.packet(CreateRoom.class);
    return packet.roomType() == RoomType.DIRECT ? createDirect(caller, packet) : createGroupOrChannel(caller, packet);
  }

  private Future<BusReply> createDirect(String caller, CreateRoom packet) {
    String other = packet.people().get(0);
    if (other.equals(caller)) {
      throw new BadPacketException("people[0]", "a direct room needs another person");
    }
    String key = RoomStore.directKey(caller, other);
    return store.findDirectRoom(key).compose(existing -> {
      if (existing.isPresent()) {
        return Future.succeededFuture(reply(existing.get(), true));
      }
      return requireAccounts(packet.people())
          .compose(known -> {
            Map<String, Role> members = new LinkedHashMap<>();
            members.put(caller, Role.OWNER);
            members.put(other, Role.OWNER);
            return create(new NewRoom(RoomType.DIRECT, packet.roomName(), key, caller, members));
          });
    });
  }

  private Future<BusReply> createGroupOrChannel(String caller, CreateRoom packet) {
    // The caller is implicit; naming them too is harmless.
    List<String> people = packet.people().stream().filter(person -> !person.equals(caller)).toList();
    int total = people.size() + 1;
    if (total > Limits.ROOM_PEOPLE_MAX) {
      throw new BadPacketException("people",
          "a room holds at most " + Limits.ROOM_PEOPLE_MAX + " members including you, this one would have " + total);
    }
    return requireAccounts(packet.people()).compose(known -> {
      Map<String, Role> members = new LinkedHashMap<>();
      members.put(caller, Role.OWNER);
      people.forEach(person -> members.put(person, Role.MEMBER));
      return create(new NewRoom(packet.roomType(), packet.roomName(), null, caller, members));
    });
  }

  private Future<BusReply> create(NewRoom room) {
    return store.createRoom(room, id -> roomCreated(id, room)).compose(created -> {
      if (!created.created()) {
        // Lost a race for the same direct pair: the winner's room is the answer.
        return Future.succeededFuture(reply(created.room(), true));
      }
      return relay.afterCommit(created.room()).map(relayed -> reply(created.room(), false));
    });
  }

  /** Fails with BAD_PACKET naming every person without an account by their place in {@code people}. */
  private Future<Void> requireAccounts(List<String> people) {
    return peers.unknownUsers(people).compose(unknown -> {
      if (unknown.isEmpty()) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(NoSuchUsers.in("people", people, unknown));
    });
  }

  private static AppendRoomEvent roomCreated(UUID id, NewRoom room) {
    JsonArray members = new JsonArray();
    room.members().forEach((user, role) -> members.add(new JsonObject().put("user", user).put("role", role.wire())));
    JsonObject data = new JsonObject().put("type", room.type().wire()).put("name", room.name()).put("members", members);
    return new AppendRoomEvent(UuidV7.next(), id, RoomEventKind.ROOM_CREATED, room.createdBy(), data, List.of());
  }

  private static BusReply reply(UUID room, boolean existing) {
    return RoomReplies.status(RoomReplies.roomOk(room).put("existing", existing));
  }
}
