package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * A request a client sends after the handshake, validated. The gateway gets one from {@link
 * Packets#parse} and forwards {@link #toData()} to the owning service; the SDK builds one and sends
 * {@link #toEnvelope()}. Every record's {@code parse(JsonObject)} and {@code toData()} are inverses.
 */
public sealed interface ClientPacket
    permits Signup,
        SCaptcha,
        Login,
        ChatEncryptC,
        AuthToken,
        Logout,
        Devices,
        RevokeDevice,
        DeleteAccount,
        LinkRequest,
        LinkPending,
        LinkBlob,
        LinkFetch,
        CreateRoom,
        AlterRoom,
        RoomList,
        RoomInfo,
        ChatAction,
        SyncRoomReq,
        ReadReceipt {

  PacketType type();

  /** The packet's {@code data} object, in the canonical form (folded usernames, trimmed names). */
  JsonObject toData();

  default Envelope toEnvelope() {
    return Envelope.of(type(), toData());
  }
}
