package io.parley.shared.channel;

import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Encoding and field validation of the three handshake frames (docs/protocol.md §2). The key order
 * of every object is part of the protocol because the transcript hash covers the exact bytes; both
 * sides hash what they actually sent and received, so only the test vectors depend on it.
 */
final class HandshakeFrames {

  static final String UUID = "uuid";
  static final String TOKEN = "token";
  static final String NONCE = "nonce";
  static final String SERVER_EPBKEY = "server_epbkey";
  static final String SERVER_IDKEY = "server_idkey";
  static final String SIG = "sig";
  static final String CLIENT_EPBKEY = "client_epbkey";

  static final int NONCE_BYTES = 32;

  private static final Pattern UUID_PATTERN =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final PacketCodec CODEC = new PacketCodec();

  private HandshakeFrames() {}

  static byte[] encode(PacketType type, JsonObject data) {
    return CODEC.encode(Envelope.of(type, data));
  }

  static byte[] connInit(java.util.UUID deviceId, byte[] nonce) {
    return encode(PacketType.CONN_INIT, new JsonObject()
        .put(UUID, deviceId.toString())
        .put(TOKEN, (Object) null)
        .put(NONCE, base64(nonce)));
  }

  static byte[] connEncryptS(String serverEphemeralPem, String identityPem, byte[] signature) {
    return encode(PacketType.CONN_ENCRYPT_S, new JsonObject()
        .put(SERVER_EPBKEY, serverEphemeralPem)
        .put(SERVER_IDKEY, identityPem)
        .put(SIG, base64(signature)));
  }

  static byte[] connEncryptC(String clientEphemeralPem) {
    return encode(PacketType.CONN_ENCRYPT_C, new JsonObject().put(CLIENT_EPBKEY, clientEphemeralPem));
  }

  static byte[] handshakeFailed(String reason) {
    return CODEC.encode(Envelope.status(StatusCode.HANDSHAKE_FAILED, reason));
  }

  /** Parses a frame and checks its type; a plaintext STATUS from the server becomes its reason. */
  static JsonObject parse(byte[] frame, PacketType expected) throws HandshakeException {
    Envelope envelope;
    try {
      envelope = CODEC.decode(frame);
    } catch (MalformedPacketException e) {
      // A fixed phrase: the parser's own message can quote input bytes, and a reason never echoes input.
      throw new HandshakeException(expected.wireName() + ": not a well-formed JSON packet");
    } catch (PacketCodec.BadPacketEnvelope e) {
      throw new HandshakeException(expected.wireName() + ": " + e.getMessage());
    }
    if (!envelope.is(expected)) {
      if (envelope.is(PacketType.STATUS) && !expected.sentByClient()) {
        String desc = envelope.data().getValue("desc") instanceof String s ? s : "no reason given";
        throw new HandshakeException("server refused the handshake: " + envelope.data().getValue("sig") + ": " + desc);
      }
      throw new HandshakeException("expected a " + expected.wireName() + " packet");
    }
    return envelope.data();
  }

  static String string(JsonObject data, PacketType type, String field) throws HandshakeException {
    if (!(data.getValue(field) instanceof String value)) {
      throw new HandshakeException(type.wireName() + "." + field + ": required, a string");
    }
    return value;
  }

  static java.util.UUID deviceId(JsonObject data) throws HandshakeException {
    String text = string(data, PacketType.CONN_INIT, UUID);
    if (!UUID_PATTERN.matcher(text).matches()) {
      throw new HandshakeException("CONN_INIT.uuid: must be a UUID in 8-4-4-4-12 hex form");
    }
    return java.util.UUID.fromString(text);
  }

  static void requireNoToken(JsonObject data) throws HandshakeException {
    if (data.getValue(TOKEN) != null) {
      throw new HandshakeException("CONN_INIT.token: must be null; no secret travels before encryption");
    }
  }

  static byte[] nonce(JsonObject data) throws HandshakeException {
    byte[] nonce = decodeBase64(string(data, PacketType.CONN_INIT, NONCE), "CONN_INIT.nonce");
    if (nonce.length != NONCE_BYTES) {
      throw new HandshakeException("CONN_INIT.nonce: must be " + NONCE_BYTES + " bytes, got " + nonce.length);
    }
    return nonce;
  }

  static byte[] decodeBase64(String text, String what) throws HandshakeException {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new HandshakeException(what + ": not valid base64");
    }
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
