package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/** LOGOUT: revokes this device's token. No fields. Answered by STATUS LOGOUT_OK. */
public record Logout() implements ClientPacket {

  public static Logout parse(JsonObject data) {
    return new Logout();
  }

  @Override
  public PacketType type() {
    return PacketType.LOGOUT;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject();
  }
}
