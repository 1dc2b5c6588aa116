package io.parley.shared.events;

import java.util.Optional;

/**
 * What a room event records. Membership and metadata kinds come from the room service; message
 * kinds from the message service. The wire name is what clients see in {@code event.kind}.
 */
public enum RoomEventKind {
  ROOM_CREATED("room.created"),
  ROOM_RENAMED("room.renamed"),
  ROOM_DELETED("room.deleted"),
  MEMBER_ADDED("member.added"),
  MEMBER_REMOVED("member.removed"),
  MEMBER_LEFT("member.left"),
  MEMBER_PROMOTED("member.promoted"),
  MEMBER_DEMOTED("member.demoted"),
  MESSAGE_SENT("msg.sent"),
  MESSAGE_EDITED("msg.edited"),
  MESSAGE_DELETED("msg.deleted"),
  MESSAGE_PINNED("msg.pinned"),
  KEY_SAVED("key.saved");

  private final String wire;

  RoomEventKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** True for the kinds the room service appends (membership and room metadata). */
  public boolean isMembershipOrMetadata() {
    return wire.startsWith("room.") || wire.startsWith("member.");
  }

  public static Optional<RoomEventKind> fromWire(String wire) {
    for (RoomEventKind kind : values()) {
      if (kind.wire.equals(wire)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
