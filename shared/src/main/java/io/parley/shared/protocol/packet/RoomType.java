package io.parley.shared.protocol.packet;

import java.util.Optional;

/** CREATE_ROOM's {@code room-type}: the seed's numbers 0, 1, 2. */
public enum RoomType {
  /** Two people; creating an existing pair returns the same room. */
  DIRECT(0),
  /** Owner and admins manage, members post. */
  GROUP(1),
  /** Owner and admins post, members read. */
  CHANNEL(2);

  private final int wire;

  RoomType(int wire) {
    this.wire = wire;
  }

  public int wire() {
    return wire;
  }

  public static Optional<RoomType> fromWire(int wire) {
    for (RoomType type : values()) {
      if (type.wire == wire) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
