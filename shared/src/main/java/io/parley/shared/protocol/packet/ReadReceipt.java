package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * READ_RECEIPT: the caller has read the room up to and including event {@code msg}. Answered by
 * STATUS RECEIPT_OK; the read pointer is pushed to the room.
 */
public record ReadReceipt(UUID room, UUID msg) implements ClientPacket {

  public static ReadReceipt parse(JsonObject data) {
    Fields fields = Fields.of(data);
    return new ReadReceipt(fields.uuid("room"), fields.uuid("msg"));
  }

  @Override
  public PacketType type() {
    return PacketType.READ_RECEIPT;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("room", room.toString()).put("msg", msg.toString());
  }
}
