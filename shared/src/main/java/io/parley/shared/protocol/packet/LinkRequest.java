package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * LINK_REQUEST: a newly logged-in device asks to be linked to its person's other devices, so that one
 * of them can share the keys of past messages with it (docs/e2e.md §10). {@code nonce} is fresh per
 * attempt and part of the link code the device shows. Answered by STATUS LINK_REQUESTED; the request
 * lasts {@code Limits.LINK_REQUEST_TTL_SECONDS}.
 */
public record LinkRequest(String nonce) implements ClientPacket {

  public static LinkRequest parse(JsonObject data) {
    return new LinkRequest(Fields.of(data).required("nonce").base64(Limits.LINK_NONCE_BYTES, Limits.LINK_NONCE_BYTES));
  }

  @Override
  public PacketType type() {
    return PacketType.LINK_REQUEST;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("nonce", nonce);
  }
}
