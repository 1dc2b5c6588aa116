package io.parley.room.rooms;

import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Answers the room handlers share. */
final class RoomReplies {
  /**
   * The one answer for a room that does not exist, is deleted, or does not have the caller as a
   * member: the same words for all three, so nobody learns which rooms exist.
   */
  static final String NOT_FOUND_DESC = "no such room, or you are not a member of it";

  private RoomReplies() {}

  static StatusException roomNotFound() {
    return new StatusException(StatusCode.ROOM_NOT_FOUND, NOT_FOUND_DESC);
  }

  /** STATUS ROOM_OK {room}. */
  static JsonObject roomOk(UUID room) {
    return new JsonObject().put("sig", StatusCode.ROOM_OK.name()).put("room", room.toString());
  }

  static BusReply status(JsonObject data) {
    return BusReply.of(Envelope.of(PacketType.STATUS, data));
  }

  /** The authenticated caller; the gateway routes room packets only for authenticated connections. */
  static String caller(BusRequest request) {
    if (request.user() == null) {
      throw new StatusException(StatusCode.NOT_AUTHENTICATED, StatusCode.NOT_AUTHENTICATED.meaning());
    }
    return request.user();
  }
}
