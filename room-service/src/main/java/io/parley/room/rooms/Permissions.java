package io.parley.room.rooms;

import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;

/**
 * Who may do what in a room: the one place the room service decides it (docs/protocol-rooms.md has
 * the same matrix as a table). Each method returns when the action is allowed and throws
 * {@link StatusException} FORBIDDEN with the rule otherwise. The caller is already known to be a
 * member with role {@code actor}; targets are known to be members with role {@code target}.
 *
 * <p>The scheme: roles rank owner > admin > member. Groups and channels are managed alike (they
 * differ only in who posts, which the message service enforces): owners and admins add people,
 * remove those of lower rank and rename; only owners change roles and delete. Promote and demote move
 * one step (member ↔ admin ↔ owner), so an owner hands over ownership by promoting an admin to
 * co-owner and then leaving; a room always keeps at least one owner. A direct room is two owners of
 * equal rank and a fixed pair: it cannot gain or lose members, be renamed or change roles; either
 * person may delete it.
 */
public final class Permissions {
  private Permissions() {}

  public static void add(RoomType type, Role actor) {
    if (type == RoomType.DIRECT) {
      throw forbidden("a direct room is for exactly two people and cannot gain members; create a group instead");
    }
    if (!actor.manages()) {
      throw forbidden("only owners and admins may add people to a " + noun(type));
    }
  }

  public static void remove(RoomType type, Role actor, Role target, boolean self) {
    if (type == RoomType.DIRECT) {
      throw forbidden("a direct room is for exactly two people and cannot lose members; delete it instead");
    }
    if (self) {
      throw forbidden("to leave a room use the leave action, not remove");
    }
    if (!actor.manages()) {
      throw forbidden("only owners and admins may remove members from a " + noun(type));
    }
    if (target == Role.OWNER) {
      throw forbidden("an owner cannot be removed; another owner may demote them first");
    }
    if (target == Role.ADMIN && actor != Role.OWNER) {
      throw forbidden("admins may remove only members; only an owner may remove an admin");
    }
  }

  public static void rename(RoomType type, Role actor) {
    if (type == RoomType.DIRECT) {
      throw forbidden("a direct room cannot be renamed; each person sees it under the other's name");
    }
    if (!actor.manages()) {
      throw forbidden("only owners and admins may rename a " + noun(type));
    }
  }

  /** @param owners how many owners the room has, the caller included when they are one */
  public static void leave(RoomType type, Role actor, long owners) {
    if (type == RoomType.DIRECT) {
      throw forbidden("a direct room is for exactly two people and cannot lose members; delete it instead");
    }
    if (actor == Role.OWNER && owners <= 1) {
      throw forbidden("the last owner cannot leave; promote an admin to owner first, or delete the " + noun(type));
    }
  }

  /** The target's new role: one step up. */
  public static Role promote(RoomType type, Role actor, Role target, boolean self) {
    if (type == RoomType.DIRECT) {
      throw forbidden("roles in a direct room are fixed: both people are owners");
    }
    if (self) {
      throw forbidden("nobody may change their own role");
    }
    if (actor != Role.OWNER) {
      throw forbidden("only an owner may promote members");
    }
    return switch (target) {
      case MEMBER -> Role.ADMIN;
      case ADMIN -> Role.OWNER;
      case OWNER -> throw forbidden("an owner already has the highest role");
    };
  }

  /** The target's new role: one step down. */
  public static Role demote(RoomType type, Role actor, Role target, boolean self) {
    if (type == RoomType.DIRECT) {
      throw forbidden("roles in a direct room are fixed: both people are owners");
    }
    if (self) {
      throw forbidden("nobody may change their own role");
    }
    if (actor != Role.OWNER) {
      throw forbidden("only an owner may demote members");
    }
    return switch (target) {
      // The actor is an owner too, so the room keeps one.
      case OWNER -> Role.ADMIN;
      case ADMIN -> Role.MEMBER;
      case MEMBER -> throw forbidden("a member already has the lowest role");
    };
  }

  public static void delete(RoomType type, Role actor) {
    if (actor != Role.OWNER) {
      throw forbidden("only an owner may delete a " + noun(type));
    }
  }

  private static String noun(RoomType type) {
    return switch (type) {
      case DIRECT -> "direct room";
      case GROUP -> "group";
      case CHANNEL -> "channel";
    };
  }

  private static StatusException forbidden(String rule) {
    return new StatusException(StatusCode.FORBIDDEN, rule);
  }
}
