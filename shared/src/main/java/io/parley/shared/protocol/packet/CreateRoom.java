package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * CREATE_ROOM: a new room with the caller as owner. Answered by STATUS ROOM_OK {room}.
 *
 * <p>The edge checks the shape: a direct room names exactly one other person (the caller is
 * implicit), nobody is named twice. The room service checks the rest (the people exist, a direct room
 * is not with oneself, an existing pair returns its room).
 *
 * @param roomName trimmed; null when a direct room was sent without one
 * @param people case-folded usernames, unique, in the order sent
 */
public record CreateRoom(RoomType roomType, String roomName, List<String> people)
    implements ClientPacket {

  public CreateRoom {
    Objects.requireNonNull(roomType, "roomType");
    people = List.copyOf(people);
  }

  public static CreateRoom parse(JsonObject data) {
    Fields fields = Fields.of(data);
    int typeNumber = fields.integer("room-type", 0, RoomType.values().length - 1);
    RoomType roomType = RoomType.fromWire(typeNumber).orElseThrow();
    String roomName =
        roomType == RoomType.DIRECT
            ? fields.optional("room-name")
                .map(v -> v.displayText(1, Limits.ROOM_NAME_MAX_CHARS))
                .orElse(null)
            : fields.required("room-name").displayText(1, Limits.ROOM_NAME_MAX_CHARS);
    List<String> people = fields.required("people").usernames(1, Limits.ROOM_PEOPLE_MAX);
    if (roomType == RoomType.DIRECT && people.size() != 1) {
      throw new BadPacketException(
          "people",
          "a direct room names exactly one other person (you are included implicitly), got "
              + people.size());
    }
    return new CreateRoom(roomType, roomName, people);
  }

  @Override
  public PacketType type() {
    return PacketType.CREATE_ROOM;
  }

  @Override
  public JsonObject toData() {
    JsonObject data = new JsonObject().put("room-type", roomType.wire());
    if (roomName != null) {
      data.put("room-name", roomName);
    }
    return data.put("people", new JsonArray(people));
  }
}
