package io.parley.shared.protocol;

/** What a connection must have done before it may send a packet. */
public enum Access {
  /** Part of the plaintext handshake. */
  HANDSHAKE,
  /** Any connection past the handshake (signup, login, token resume). */
  OPEN,
  /** Only a connection authenticated with AUTH_TOKEN (or LOGIN). */
  AUTHENTICATED
}
