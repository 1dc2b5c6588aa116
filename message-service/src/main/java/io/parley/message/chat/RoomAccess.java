package io.parley.message.chat;

import io.parley.message.membership.MembershipCache;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.room.RoomMembership;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * The membership check every room packet starts with. A room that does not exist and a room the
 * caller is not in get the same ROOM_NOT_FOUND, so nobody learns which rooms exist.
 */
public final class RoomAccess {
  private final MembershipCache memberships;

  public RoomAccess(MembershipCache memberships) {
    this.memberships = memberships;
  }

  public Future<RoomMembership> requireMember(UUID room, String user) {
    return memberships.membership(room).compose(found -> found.filter(membership -> membership.isMember(user)).isPresent()
        ? Future.succeededFuture(found.get())
        : Future.failedFuture(new StatusException(StatusCode.ROOM_NOT_FOUND, "no such room")));
  }
}
