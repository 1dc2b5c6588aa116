package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.json.JsonObject;

/** Validation at the edge in one call: a client packet's type and data → its record. */
public final class Packets {
  private Packets() {}

  /**
   * The validated packet, or a {@link BadPacketException} naming the offending field. A type no
   * client sends after the handshake (server packets, handshake packets) is UNKNOWN_TYPE; the
   * gateway handles handshake packets before they get here.
   */
  public static ClientPacket parse(PacketType type, JsonObject data) {
    JsonObject fields = data == null ? new JsonObject() : data;
    return switch (type) {
      case SIGNUP -> Signup.parse(fields);
      case S_CAPTCHA -> SCaptcha.parse(fields);
      case LOGIN -> Login.parse(fields);
      case CHAT_ENCRYPT_C -> ChatEncryptC.parse(fields);
      case AUTH_TOKEN -> AuthToken.parse(fields);
      case LOGOUT -> Logout.parse(fields);
      case DEVICES -> Devices.parse(fields);
      case REVOKE_DEVICE -> RevokeDevice.parse(fields);
      case DELETE_ACCOUNT -> DeleteAccount.parse(fields);
      case LINK_REQUEST -> LinkRequest.parse(fields);
      case LINK_PENDING -> LinkPending.parse(fields);
      case LINK_BLOB -> LinkBlob.parse(fields);
      case LINK_FETCH -> LinkFetch.parse(fields);
      case CREATE_ROOM -> CreateRoom.parse(fields);
      case ALTER_ROOM -> AlterRoom.parse(fields);
      case ROOM_LIST -> RoomList.parse(fields);
      case ROOM_INFO -> RoomInfo.parse(fields);
      case CHAT_ACTION -> ChatAction.parse(fields);
      case SYNC_ROOM_REQ -> SyncRoomReq.parse(fields);
      case READ_RECEIPT -> ReadReceipt.parse(fields);
      case CONN_INIT, CONN_ENCRYPT_S, CONN_ENCRYPT_C, STATUS, CAPTCHA, GEN_TOKEN, SYNC_ROOM_DATA,
          ROOM_EVENT ->
          throw new BadPacketException(
              StatusCode.UNKNOWN_TYPE, "type", type.wireName() + " is not a request a client sends after the handshake");
    };
  }
}
