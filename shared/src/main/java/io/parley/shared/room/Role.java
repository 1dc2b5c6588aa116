package io.parley.shared.room;

import java.util.Optional;

/** A member's role in a room; the number is what the room schema stores. */
public enum Role {
  OWNER(0, "owner"),
  ADMIN(1, "admin"),
  MEMBER(2, "member");

  private final int code;
  private final String wire;

  Role(int code, String wire) {
    this.code = code;
    this.wire = wire;
  }

  public int code() {
    return code;
  }

  public String wire() {
    return wire;
  }

  /** Owners and admins manage a room and post in channels. */
  public boolean manages() {
    return this == OWNER || this == ADMIN;
  }

  public static Role fromCode(int code) {
    for (Role role : values()) {
      if (role.code == code) {
        return role;
      }
    }
    throw new IllegalArgumentException("no role with code " + code);
  }

  public static Optional<Role> fromWire(String wire) {
    for (Role role : values()) {
      if (role.wire.equals(wire)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
