package io.parley.shared.crypto;

import java.util.Arrays;
import java.util.Base64;

/**
 * PEM encoding of X25519 and Ed25519 public keys as DER SubjectPublicKeyInfo, the form the handshake
 * carries (docs/protocol.md §2). Both key types have a fixed 44-byte SPKI: a 12-byte prefix that
 * names the algorithm, then the raw 32-byte key, so decoding compares the prefix instead of running a
 * general ASN.1 parser over peer input.
 *
 * <p>Encoding is byte-exact with Node's {@code key.export({type: 'spki', format: 'pem'})}: header
 * line, base64 in lines of at most 64 characters, footer line, each ending in {@code \n}.
 */
public final class Pem {

  /** Raw X25519 and Ed25519 public keys are both 32 bytes. */
  public static final int RAW_KEY_BYTES = 32;

  public static final String PUBLIC_HEADER = "-----BEGIN PUBLIC KEY-----";
  public static final String PUBLIC_FOOTER = "-----END PUBLIC KEY-----";
  public static final String PRIVATE_HEADER = "-----BEGIN PRIVATE KEY-----";
  public static final String PRIVATE_FOOTER = "-----END PRIVATE KEY-----";

  private static final int LINE_CHARS = 64;

  /** The key types the handshake uses, with their SPKI prefixes (RFC 8410). */
  public enum KeyType {
    X25519(new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00}),
    ED25519(new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00});

    private final byte[] spkiPrefix;

    KeyType(byte[] spkiPrefix) {
      this.spkiPrefix = spkiPrefix;
    }

    String displayName() {
      return this == X25519 ? "X25519" : "Ed25519";
    }
  }

  private Pem() {}

  /** The DER SubjectPublicKeyInfo of a raw 32-byte key. */
  public static byte[] spki(KeyType type, byte[] raw) {
    checkRaw(raw);
    byte[] der = Arrays.copyOf(type.spkiPrefix, type.spkiPrefix.length + RAW_KEY_BYTES);
    System.arraycopy(raw, 0, der, type.spkiPrefix.length, RAW_KEY_BYTES);
    return der;
  }

  /** PEM of the SubjectPublicKeyInfo of a raw 32-byte key. */
  public static String encodePublic(KeyType type, byte[] raw) {
    return armor(PUBLIC_HEADER, PUBLIC_FOOTER, spki(type, raw));
  }

  /**
   * The raw 32-byte key inside a public key PEM. Accepts {@code \r\n} line ends and a missing final
   * newline; refuses anything else that is not exactly one SPKI of the expected algorithm.
   *
   * @param what names the field in the error message, e.g. {@code "CONN_ENCRYPT_C.client_epbkey"}
   */
  public static byte[] decodePublic(KeyType type, String pem, String what) throws HandshakeException {
    if (pem == null) {
      throw new HandshakeException(what + ": required, a PEM string");
    }
    byte[] der = dearmor(PUBLIC_HEADER, PUBLIC_FOOTER, pem, what);
    for (KeyType other : KeyType.values()) {
      if (other != type && startsWith(der, other.spkiPrefix)) {
        throw new HandshakeException(
            what + ": expected an " + type.displayName() + " public key, got " + other.displayName());
      }
    }
    if (!startsWith(der, type.spkiPrefix)) {
      throw new HandshakeException(what + ": not an " + type.displayName() + " public key");
    }
    if (der.length != type.spkiPrefix.length + RAW_KEY_BYTES) {
      throw new HandshakeException(
          what + ": an " + type.displayName() + " public key must be " + RAW_KEY_BYTES + " bytes");
    }
    return Arrays.copyOfRange(der, type.spkiPrefix.length, der.length);
  }

  public static String armor(String header, String footer, byte[] der) {
    String body = Base64.getEncoder().encodeToString(der);
    StringBuilder pem = new StringBuilder(header.length() + footer.length() + body.length() + 16);
    pem.append(header).append('\n');
    for (int i = 0; i < body.length(); i += LINE_CHARS) {
      pem.append(body, i, Math.min(body.length(), i + LINE_CHARS)).append('\n');
    }
    return pem.append(footer).append('\n').toString();
  }

  public static byte[] dearmor(String header, String footer, String pem, String what) throws HandshakeException {
    String text = pem.replace("\r\n", "\n");
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    String[] lines = text.split("\n", -1);
    if (lines.length < 3 || !lines[0].equals(header) || !lines[lines.length - 1].equals(footer)) {
      throw new HandshakeException(what + ": not a PEM block between " + header + " and " + footer);
    }
    StringBuilder body = new StringBuilder();
    for (int i = 1; i < lines.length - 1; i++) {
      body.append(lines[i]);
    }
    try {
      return Base64.getDecoder().decode(body.toString());
    } catch (IllegalArgumentException e) {
      throw new HandshakeException(what + ": PEM body is not valid base64");
    }
  }

  private static boolean startsWith(byte[] der, byte[] prefix) {
    return der.length >= prefix.length && Arrays.equals(der, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static void checkRaw(byte[] raw) {
    if (raw.length != RAW_KEY_BYTES) {
      throw new IllegalArgumentException("a raw key is " + RAW_KEY_BYTES + " bytes, got " + raw.length);
    }
  }
}
