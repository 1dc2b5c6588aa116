package io.parley.shared.crypto;

import io.parley.shared.protocol.BadPacketException;

/**
 * Device chat keys (the end-to-end identity, X25519) as the server accepts them: the gateway checks
 * only the PEM armour; the owning service parses the key and stores it re-encoded, byte-canonical,
 * so every client sees the same bytes for the same key.
 */
public final class ChatKeys {
  private ChatKeys() {}

  /** The canonical PEM of an X25519 SubjectPublicKeyInfo, or BAD_PACKET naming {@code field}. */
  public static String canonicalX25519(String pem, String field) {
    try {
      return Pem.encodePublic(Pem.KeyType.X25519, Pem.decodePublic(Pem.KeyType.X25519, pem, field));
    } catch (HandshakeException e) {
      throw new BadPacketException(field, "not an X25519 public key: " + e.reason());
    }
  }
}
