package io.parley.shared.channel;

import java.nio.ByteBuffer;

/**
 * Transcript hash and HKDF key schedule (docs/protocol.md §3). Labels carry the protocol version so
 * a future v2 can never derive the same keys from the same inputs.
 */
final class KeySchedule {

  static final String SIGNATURE_CONTEXT = "parley-v1 server signature";
  static final String C2S_KEY = "parley-v1 c2s key";
  static final String C2S_IV = "parley-v1 c2s iv";
  static final String S2C_KEY = "parley-v1 s2c key";
  static final String S2C_IV = "parley-v1 s2c iv";
  static final int KEY_BYTES = 32;
  static final int IV_BYTES = 12;

  private KeySchedule() {}

  /** Keys of one connection; {@code prk} is kept only so tests can compare it with the vectors. */
  record Keys(byte[] prk, byte[] c2sKey, byte[] c2sIv, byte[] s2cKey, byte[] s2cIv) {}

  /**
   * The 32 bytes the server signs: SHA-256(context || 0x00 || SHA-256(CONN_INIT) || server eph pub).
   * Binding the client's CONN_INIT (and its fresh nonce) makes the signature unusable for any other
   * connection; the zero byte ends the context string.
   */
  static byte[] signedDigest(byte[] connInitFrame, byte[] serverEphemeralRaw) {
    return Crypto.sha256(Crypto.ascii(SIGNATURE_CONTEXT), new byte[] {0}, Crypto.sha256(connInitFrame), serverEphemeralRaw);
  }

  /** SHA-256 over each frame preceded by its u32be length, so frame boundaries are unambiguous. */
  static byte[] transcriptHash(byte[] connInit, byte[] connEncryptS, byte[] connEncryptC) {
    return Crypto.sha256(lengthPrefix(connInit), connInit, lengthPrefix(connEncryptS), connEncryptS,
        lengthPrefix(connEncryptC), connEncryptC);
  }

  static Keys derive(byte[] sharedSecret, byte[] transcriptHash) {
    byte[] prk = Crypto.hkdfExtract(transcriptHash, sharedSecret);
    return new Keys(
        prk,
        Crypto.hkdfExpand(prk, C2S_KEY, KEY_BYTES),
        Crypto.hkdfExpand(prk, C2S_IV, IV_BYTES),
        Crypto.hkdfExpand(prk, S2C_KEY, KEY_BYTES),
        Crypto.hkdfExpand(prk, S2C_IV, IV_BYTES));
  }

  private static byte[] lengthPrefix(byte[] frame) {
    return ByteBuffer.allocate(4).putInt(frame.length).array();
  }
}
