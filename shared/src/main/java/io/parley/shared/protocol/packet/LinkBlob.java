package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * LINK_BLOB: an existing device hands the server a sealed blob for one of the same account's devices
 * that asked to be linked. The server relays it unread. Answered by STATUS LINK_SENT, or
 * LINK_NOT_REQUESTED (no live request from that device in this account) or LINK_FULL.
 */
public record LinkBlob(UUID device, String blob) implements ClientPacket {

  public static LinkBlob parse(JsonObject data) {
    Fields fields = Fields.of(data);
    return new LinkBlob(fields.uuid("device"), fields.required("blob").base64(1, Limits.LINK_BLOB_MAX_BYTES));
  }

  @Override
  public PacketType type() {
    return PacketType.LINK_BLOB;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("device", device.toString()).put("blob", blob);
  }
}
