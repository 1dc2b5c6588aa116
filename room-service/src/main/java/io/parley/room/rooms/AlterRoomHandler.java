package io.parley.room.rooms;

import io.parley.room.outbox.OutboxRelay;
import io.parley.room.peers.Peers;
import io.parley.room.rooms.RoomStore.Altered;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.events.UuidV7;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.room.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * ALTER_ROOM → STATUS ROOM_OK {room}: add, remove, rename, leave, promote, demote, delete. The
 * decision (membership, {@link Permissions}, the targets) is made inside the transaction that
 * applies the change, against the room as it is then; the change's log events commit with it (in
 * the outbox). After the commit the change is announced to the message service and its events
 * relayed to the room's log before the client hears ROOM_OK; if that fails, ROOM_OK still follows
 * (the change is committed) and the relay's sweep appends them once the message service is back.
 */
public final class AlterRoomHandler implements RequestHandler {
  private final RoomStore store;
  private final Peers peers;
  private final OutboxRelay relay;

  public AlterRoomHandler(RoomStore store, Peers peers, OutboxRelay relay) {
    this.store = store;
    this.peers = peers;
    this.relay = relay;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    String caller = RoomReplies.caller(request);
    AlterRoom.Action action = request.packet(AlterRoom.class).action();
    // Who has an account is asked before the transaction (no bus call while a row is locked) and
    // judged inside it, after membership and permission, so those answers come first.
    Future<Function<RoomState, RoomChange>> decision =
        action instanceof AlterRoom.Add add
            ? peers.unknownUsers(add.people()).map(unknown -> state -> decideAdd(caller, add, unknown, state))
            : Future.succeededFuture(state -> decide(caller, action, state));
    return decision
        .compose(decide -> store.alterRoom(action.room(), decide, altered -> events(caller, action, altered)))
        .compose(altered -> altered.isPresent()
            ? relay.afterCommit(action.room())
            : Future.failedFuture(RoomReplies.roomNotFound()))
        .map(announced -> RoomReplies.status(RoomReplies.roomOk(action.room())));
  }

  private static RoomChange decideAdd(String caller, AlterRoom.Add add, List<String> unknown, RoomState room) {
    Role actor = actor(caller, room);
    Permissions.add(room.type(), actor);
    if (!unknown.isEmpty()) {
      throw NoSuchUsers.in("actiondata.people", add.people(), unknown);
    }
    for (int i = 0; i < add.people().size(); i++) {
      String person = add.people().get(i);
      if (room.isMember(person)) {
        throw new BadPacketException("actiondata.people[" + i + "]", "'" + person + "' is already a member");
      }
    }
    int total = room.members().size() + add.people().size();
    if (total > Limits.ROOM_PEOPLE_MAX) {
      throw new BadPacketException("actiondata.people", "a room holds at most " + Limits.ROOM_PEOPLE_MAX
          + " members; it has " + room.members().size() + ", adding " + add.people().size() + " would make " + total);
    }
    return new RoomChange.AddMembers(add.people());
  }

  private static RoomChange decide(String caller, AlterRoom.Action action, RoomState room) {
    Role actor = actor(caller, room);
    if (action instanceof AlterRoom.Remove remove) {
      Role target = target(remove.user(), room);
      Permissions.remove(room.type(), actor, target, remove.user().equals(caller));
      return new RoomChange.RemoveMember(remove.user());
    } else if (action instanceof AlterRoom.Rename rename) {
      Permissions.rename(room.type(), actor);
      return new RoomChange.Rename(rename.name());
    } else if (action instanceof AlterRoom.Leave) {
      Permissions.leave(room.type(), actor, room.owners());
      return new RoomChange.RemoveMember(caller);
    } else if (action instanceof AlterRoom.Promote promote) {
      Role target = target(promote.user(), room);
      Role now = Permissions.promote(room.type(), actor, target, promote.user().equals(caller));
      return new RoomChange.ChangeRole(promote.user(), now);
    } else if (action instanceof AlterRoom.Demote demote) {
      Role target = target(demote.user(), room);
      Role now = Permissions.demote(room.type(), actor, target, demote.user().equals(caller));
      return new RoomChange.ChangeRole(demote.user(), now);
    } else if (action instanceof AlterRoom.Delete) {
      Permissions.delete(room.type(), actor);
      return new RoomChange.Delete();
    }
    throw new IllegalArgumentException("unhandled action " + action.kind());
  }

  /** The caller's role; a caller who is not a member gets the same answer as for a missing room. */
  private static Role actor(String caller, RoomState room) {
    return room.roleOf(caller).orElseThrow(RoomReplies::roomNotFound);
  }

  private static Role target(String user, RoomState room) {
    return room.roleOf(user)
        .orElseThrow(() -> new BadPacketException("actiondata.user", "'" + user + "' is not a member of this room"));
  }

  /**
   * The log events of a committed change. An add appends one member.added per person, in the order
   * named; people no longer in the room are told through {@code alsoNotify}.
   */
  private static List<AppendRoomEvent> events(String caller, AlterRoom.Action action, Altered altered) {
    RoomChange change = altered.change();
    if (change instanceof RoomChange.AddMembers add) {
      return add.users().stream()
          .map(user -> event(action, RoomEventKind.MEMBER_ADDED, caller,
              new JsonObject().put("user", user).put("role", Role.MEMBER.wire()), List.of()))
          .toList();
    } else if (change instanceof RoomChange.RemoveMember remove) {
      RoomEventKind kind = action instanceof AlterRoom.Leave ? RoomEventKind.MEMBER_LEFT : RoomEventKind.MEMBER_REMOVED;
      return List.of(event(action, kind, caller, new JsonObject().put("user", remove.user()), List.of(remove.user())));
    } else if (change instanceof RoomChange.ChangeRole role) {
      RoomEventKind kind = action instanceof AlterRoom.Promote ? RoomEventKind.MEMBER_PROMOTED : RoomEventKind.MEMBER_DEMOTED;
      return List.of(event(action, kind, caller,
          new JsonObject().put("user", role.user()).put("role", role.role().wire()), List.of()));
    } else if (change instanceof RoomChange.Rename rename) {
      return List.of(event(action, RoomEventKind.ROOM_RENAMED, caller, new JsonObject().put("name", rename.name()), List.of()));
    } else if (change instanceof RoomChange.Delete) {
      return List.of(event(action, RoomEventKind.ROOM_DELETED, caller, new JsonObject(), altered.before().usernames()));
    }
    throw new IllegalArgumentException("unhandled change " + change);
  }

  private static AppendRoomEvent event(
      AlterRoom.Action action, RoomEventKind kind, String actor, JsonObject data, List<String> alsoNotify) {
    return new AppendRoomEvent(UuidV7.next(), action.room(), kind, actor, data, alsoNotify);
  }
}
