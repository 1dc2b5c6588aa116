package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * S_CAPTCHA: the answer to this connection's CAPTCHA challenge. Answered by STATUS NEW_ACC_OK, or
 * STATUS CAPTCHA_WRONG and a new CAPTCHA.
 */
public record SCaptcha(String solved) implements ClientPacket {

  public static SCaptcha parse(JsonObject data) {
    return new SCaptcha(Fields.of(data).string("solved", 1, Limits.CAPTCHA_ANSWER_MAX_CHARS));
  }

  @Override
  public PacketType type() {
    return PacketType.S_CAPTCHA;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("solved", solved);
  }
}
