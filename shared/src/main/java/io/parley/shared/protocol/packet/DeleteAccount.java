package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * DELETE_ACCOUNT: the authenticated person deletes their account, confirming with the password (a
 * borrowed unlocked device or a stolen token alone must not be enough). Answered by STATUS
 * ACCOUNT_DELETED, or LOGIN_FAILED for a wrong password. docs/protocol.md says what is kept.
 *
 * @param password as written, never trimmed or folded
 */
public record DeleteAccount(String password) implements ClientPacket {

  public static DeleteAccount parse(JsonObject data) {
    return new DeleteAccount(Fields.of(data).string("password", 1, Limits.PASSWORD_MAX_CHARS));
  }

  @Override
  public PacketType type() {
    return PacketType.DELETE_ACCOUNT;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("password", password);
  }

  /** Never prints the password: records end up in log lines. */
  @Override
  public String toString() {
    return "DeleteAccount[password=***]";
  }
}
