package io.parley.room.handler;

import io.parley.room.OutboxRelay;
import io.parley.room.store.ListedRoom;
import io.parley.room.store.RoomChange;
import io.parley.room.store.RoomStore;
import io.parley.shared.bus.InternalHandler;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.events.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Internal {@code parley.room.forget-member}, for DELETE_ACCOUNT: {user} → {rooms}. The user leaves
 * each of their rooms in that room's own transaction, with a member.left event marked {@code
 * account_deleted} so the others see why. Room by room, so a repeat after a failure finds only the
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
    return store.alterRoom(
            room.id(),
            state -> new RoomChange.ForgetMember(user),
            altered -> altered.before().isMember(user)
                ? List.of(new AppendRoomEvent(UuidV7.next(), room.id(), RoomEventKind.MEMBER_LEFT, user,
                    new JsonObject().put("user", user).put("account_deleted", true), List.of()))
                : List.of())
        .compose(altered -> altered.isPresent() ? relay.afterCommit(room.id()).map(true) : Future.succeededFuture(false));
  }
}
