package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * LINK_FETCH: the blobs other devices of the account relayed to the caller's device for its live link
 * request. No fields. Answered by LINK_FETCH {blobs: [{from, blob}]}, oldest first (empty while none
 * arrived, or when no request is live).
 */
public record LinkFetch() implements ClientPacket {

  public static LinkFetch parse(JsonObject data) {
    return new LinkFetch();
  }

  @Override
  public PacketType type() {
    return PacketType.LINK_FETCH;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject();
  }
}
