package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * LOGIN: password authentication. Answered by STATUS LOGIN_OK. The id is not checked against the
 * username or email rules here: whatever is wrong with it, the client gets the same answer as for a
 * wrong password, so nobody learns which accounts exist.
 *
 * @param id a username or an email address, as written
 * @param save true asks for a long-lived token (30 days instead of 24 h) on GEN_TOKEN
 */
public record Login(String id, String password, boolean save) implements ClientPacket {

  public static Login parse(JsonObject data) {
    Fields fields = Fields.of(data);
    return new Login(
        fields.string("id", 1, Limits.LOGIN_ID_MAX_CHARS),
        fields.string("password", 1, Limits.PASSWORD_MAX_CHARS),
        fields.bool("save", false));
  }

  /** The id as the auth service looks it up: usernames are case-folded, emails case-insensitive. */
  public String lookupKey() {
    return id.toLowerCase(Locale.ROOT);
  }

  public boolean isEmail() {
    return id.indexOf('@') >= 0;
  }

  @Override
  public PacketType type() {
    return PacketType.LOGIN;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("id", id).put("password", password).put("save", save);
  }

  /** Never prints the password: records end up in log lines. */
  @Override
  public String toString() {
    return "Login[id=" + id + ", password=***, save=" + save + "]";
  }
}
