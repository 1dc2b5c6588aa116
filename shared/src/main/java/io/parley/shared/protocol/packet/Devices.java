package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * DEVICES: the caller's devices (every device id that has logged in to the account), so a person can
 * spot one they no longer hold. No fields. Answered by DEVICES {devices: [{device, created, last_seen,
 * current}]}.
 */
public record Devices() implements ClientPacket {

  public static Devices parse(JsonObject data) {
    return new Devices();
  }

  @Override
  public PacketType type() {
    return PacketType.DEVICES;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject();
  }
}
