package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.UUID;

/**
 * SYNC_ROOM_REQ: a page of a room's event log. Answered by SYNC_ROOM_DATA {room, events, more}.
 *
 * @param count how many events at most, 1–{@link Limits#SYNC_MAX_COUNT}
 * @param from an event id, or null for "the latest {@code count} events"
 * @param direction {@code after} (catch up, the default) or {@code before} (scrollback)
 */
public record SyncRoomReq(UUID room, int count, UUID from, SyncRoomReq.Direction direction)
    implements ClientPacket {

  public SyncRoomReq {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(direction, "direction");
  }

  /** Which side of {@code from} to read. */
  public enum Direction {
    /** The {@code count} events right after {@code from}, oldest first: catching up. */
    AFTER("after"),
    /** The {@code count} events right before {@code from}, oldest first: scrollback. */
    BEFORE("before");

    private final String wireName;

    Direction(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public static SyncRoomReq parse(JsonObject data) {
    Fields fields = Fields.of(data);
    return new SyncRoomReq(
        fields.uuid("room"),
        fields.integer("count", 1, Limits.SYNC_MAX_COUNT),
        fields.optionalUuid("from").orElse(null),
        fields
            .optional("direction")
            .map(v -> v.oneOf(Direction.values(), Direction::wireName))
            .orElse(Direction.AFTER));
  }

  @Override
  public PacketType type() {
    return PacketType.SYNC_ROOM_REQ;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject()
        .put("room", room.toString())
        .put("count", count)
        .put("from", from == null ? null : from.toString())
        .put("direction", direction.wireName());
  }
}
