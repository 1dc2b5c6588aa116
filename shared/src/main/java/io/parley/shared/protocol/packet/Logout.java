package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * LOGOUT: revokes this device's tokens ({@code scope: "device"}, the default) or every token of the
 * account ({@code "all"}: log out everywhere). Every live connection resting on them, on every
 * gateway, is told STATUS LOGGED_OUT and must authenticate again. Answered by STATUS LOGOUT_OK.
 */
public record Logout(Scope scope) implements ClientPacket {

  /** What LOGOUT ends. */
  public enum Scope {
    DEVICE("device"),
    ALL("all");

    private final String wireName;

    Scope(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public static Logout parse(JsonObject data) {
    Fields fields = Fields.of(data);
    return new Logout(data.containsKey("scope") ? fields.oneOf("scope", Scope.values(), Scope::wireName) : Scope.DEVICE);
  }

  @Override
  public PacketType type() {
    return PacketType.LOGOUT;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("scope", scope.wireName());
  }
}
