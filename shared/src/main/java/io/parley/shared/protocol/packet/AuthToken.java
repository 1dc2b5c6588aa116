package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * AUTH_TOKEN: authenticates this connection with a token from GEN_TOKEN. Answered by STATUS
 * LOGIN_OK. The token must belong to this user and to this connection's device uuid.
 *
 * @param user the username, case-folded
 */
public record AuthToken(String user, String token) implements ClientPacket {

  public static AuthToken parse(JsonObject data) {
    Fields fields = Fields.of(data);
    return new AuthToken(fields.username("user"), fields.string("token", 1, Limits.TOKEN_MAX_CHARS));
  }

  @Override
  public PacketType type() {
    return PacketType.AUTH_TOKEN;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("user", user).put("token", token);
  }

  /** Never prints the token: records end up in log lines. */
  @Override
  public String toString() {
    return "AuthToken[user=" + user + ", token=***]";
  }
}
