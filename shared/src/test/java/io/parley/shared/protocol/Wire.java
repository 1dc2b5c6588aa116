package io.parley.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helpers that let packet tests read like the protocol. */
public final class Wire {
  private Wire() {}

  private static final PacketCodec CODEC = new PacketCodec();

  /**
   * A packet's data as the gateway sees it: the JSON goes through {@link PacketCodec}, so numbers,
   * nulls and nesting arrive exactly as from a socket. Single quotes stand for double quotes.
   */
  public static JsonObject data(String json) {
    String envelope = "{\"type\":\"TEST\",\"data\":" + json.replace('\'', '"') + "}";
    try {
      return CODEC.decode(envelope.getBytes(StandardCharsets.UTF_8)).data();
    } catch (MalformedPacketException e) {
      throw new AssertionError("test JSON is malformed: " + json, e);
    }
  }

  /** Asserts the call is refused with STATUS {@code code} naming {@code field}; returns the reason. */
  public static String refused(StatusCode code, String field, ThrowingCallable call) {
    BadPacketException e = catchThrowableOfType(BadPacketException.class, call);
    assertThat(e).as("expected %s on %s", code, field).isNotNull();
    assertThat(e.field()).as("field path of: %s", e.getMessage()).isEqualTo(field);
    assertThat(e.code()).as("status of: %s", e.getMessage()).isEqualTo(code);
    assertThat(e.toStatus().data().getString("desc")).isEqualTo(field + ": " + e.reason());
    return e.reason();
  }

  /** Asserts BAD_PACKET naming {@code field}; returns the reason for further checks. */
  public static String badPacket(String field, ThrowingCallable call) {
    return refused(StatusCode.BAD_PACKET, field, call);
  }

  /** A freshly generated X25519 public key in PEM, the way the SDK writes it. */
  public static String x25519Pem() {
    try {
      byte[] spki = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded();
      return "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(spki)
          + "\n-----END PUBLIC KEY-----\n";
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Base64 of {@code n} bytes of pretend ciphertext. */
  public static String ciphertext(int n) {
    byte[] bytes = new byte[n];
    for (int i = 0; i < n; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }
}
