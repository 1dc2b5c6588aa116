package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * REVOKE_DEVICE: cuts off one of the caller's devices (a lost phone): its tokens are revoked and its
 * live connections are logged out on every gateway. Answered by STATUS DEVICE_REVOKED, or
 * DEVICE_NOT_FOUND when the account has no such device.
 */
public record RevokeDevice(UUID device) implements ClientPacket {

  public static RevokeDevice parse(JsonObject data) {
    return new RevokeDevice(Fields.of(data).uuid("device"));
  }

  @Override
  public PacketType type() {
    return PacketType.REVOKE_DEVICE;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("device", device.toString());
  }
}
