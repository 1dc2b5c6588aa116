package io.parley.shared.channel;

import io.parley.shared.crypto.Pem;
import java.util.HexFormat;

/** Identity key fingerprints as clients show and pin them (docs/protocol.md §5). */
public final class Fingerprints {

  /** Hex characters in a fingerprint (SHA-256). */
  public static final int LENGTH = 64;

  private Fingerprints() {}

  /** Lowercase hex of SHA-256 over the raw 32-byte Ed25519 public key. */
  public static String of(byte[] rawEd25519PublicKey) {
    if (rawEd25519PublicKey.length != Pem.RAW_KEY_BYTES) {
      throw new IllegalArgumentException(
          "an Ed25519 public key is " + Pem.RAW_KEY_BYTES + " bytes, got " + rawEd25519PublicKey.length);
    }
    return HexFormat.of().formatHex(Crypto.sha256(rawEd25519PublicKey));
  }

  /**
   * True when both are the same fingerprint. Case and surrounding spaces are ignored because people
   * paste fingerprints from configuration; the comparison is exact otherwise.
   */
  public static boolean matches(String expected, String actual) {
    return expected != null && actual != null && expected.strip().equalsIgnoreCase(actual.strip());
  }
}
