package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;

/**
 * CHAT_ENCRYPT_C: registers this device's X25519 chat public key (its end-to-end identity). Answered
 * by GEN_TOKEN {token}. Only the PEM armour is checked here; the auth service parses the key.
 */
public record ChatEncryptC(String chatPubkey) implements ClientPacket {

  public static ChatEncryptC parse(JsonObject data) {
    return new ChatEncryptC(Fields.of(data).required("chat_pubkey").publicKeyPem());
  }

  @Override
  public PacketType type() {
    return PacketType.CHAT_ENCRYPT_C;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject().put("chat_pubkey", chatPubkey);
  }
}
