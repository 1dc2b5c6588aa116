package io.parley.room.rooms;

import io.parley.shared.room.Role;
import java.util.List;

/** One committed change to a room, decided by a handler and applied by {@link RoomStore#alterRoom}. */
public sealed interface RoomChange {

  /** New people join with the member role. */
  record AddMembers(List<String> users) implements RoomChange {
    public AddMembers {
      users = List.copyOf(users);
    }
  }

  /** A member is removed by someone else, or leaves. */
  record RemoveMember(String user) implements RoomChange {}

  /**
   * A member whose account was deleted leaves; a direct room's pair key is freed with it, so a later
   * account with the same name starts a new direct room instead of reading this one. {@code
   * successor}: who becomes owner because the leaving member was a group's or channel's only owner
   * (null when someone else owns it, or nobody is left).
   */
  record ForgetMember(String user, String successor) implements RoomChange {}

  /** A member's role changes (promote or demote). */
  record ChangeRole(String user, Role role) implements RoomChange {}

  record Rename(String name) implements RoomChange {}

  /** Soft delete: the room disappears for everyone; its rows stay for the record. */
  record Delete() implements RoomChange {}
}
