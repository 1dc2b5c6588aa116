package io.parley.room.membership;

import io.parley.room.outbox.OutboxRelay;
import io.parley.room.rooms.ListedRoom;
import io.parley.room.rooms.RoomChange;
import io.parley.room.rooms.RoomState;
import io.parley.room.rooms.RoomStore;
import io.parley.shared.bus.InternalHandler;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.events.UuidV7;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal {@code parley.room.forget-member}, for DELETE_ACCOUNT: {user} → {rooms}. The user leaves
 * each of their rooms in that room's own transaction, with a member.left event marked {@code
 * account_deleted} so the others see why (and, when they were a group's only owner, a
 * member.promoted event for the member who becomes owner). Room by room, so a repeat after a failure finds only the
 * rooms still left; the events are relayed to the rooms' logs like any membership change.
 */
public final class ForgetMemberHandler implements InternalHandler {
  private final RoomStore store;
  private final OutboxRelay relay;

  public ForgetMemberHandler(RoomStore store, OutboxRelay relay) {
    this.store = store;
    this.relay = relay;
  }

  @Override
  public Future<JsonObject> handle(JsonObject request) {
    String user = request.getString("user");
    return store.roomsOf(user).compose(rooms -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (ListedRoom room : rooms) {
        chain = chain.compose(done -> leave(user, room).map(left -> done + (left ? 1 : 0)));
      }
      return chain.map(left -> new JsonObject().put("rooms", left));
    });
  }

  private Future<Boolean> leave(String user, ListedRoom room) {
    return store.alterRoom(room.id(), state -> new RoomChange.ForgetMember(user, successor(user, state)), altered -> events(user, room, altered))
        .compose(altered -> altered.isPresent() ? relay.afterCommit(room.id()).map(true) : Future.succeededFuture(false));
  }

  /**
   * A group or channel must keep an owner who can manage it: when the leaving member was its only
   * owner, the first remaining member in the room's order (admins first, then by name) becomes one.
   */
  private static String successor(String user, RoomState room) {
    if (room.type() == RoomType.DIRECT || room.roleOf(user).filter(Role.OWNER::equals).isEmpty() || room.owners() > 1) {
      return null;
    }
    return room.members().keySet().stream().filter(member -> !member.equals(user)).findFirst().orElse(null);
  }

  private static List<AppendRoomEvent> events(String user, ListedRoom room, RoomStore.Altered altered) {
    if (!altered.before().isMember(user)) {
      return List.of();
    }
    List<AppendRoomEvent> events = new ArrayList<>();
    events.add(new AppendRoomEvent(UuidV7.next(), room.id(), RoomEventKind.MEMBER_LEFT, user,
        new JsonObject().put("user", user).put("account_deleted", true), List.of()));
    String successor = ((RoomChange.ForgetMember) altered.change()).successor();
    if (successor != null) {
      events.add(new AppendRoomEvent(UuidV7.next(), room.id(), RoomEventKind.MEMBER_PROMOTED, user,
          new JsonObject().put("user", successor).put("role", Role.OWNER.wire()), List.of()));
    }
    return events;
  }
}
