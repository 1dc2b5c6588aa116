package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * LINK_PENDING: the link requests of the caller's account that have not expired, so an existing device
 * can find the one whose code its person typed. No fields. Answered by LINK_PENDING {requests:
 * [{device, chat_pubkey, nonce, expires}]}.
 */
public record LinkPending() implements ClientPacket {

  public static LinkPending parse(JsonObject data) {
    return new LinkPending();
  }

  @Override
  public PacketType type() {
    return PacketType.LINK_PENDING;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject();
  }
}
