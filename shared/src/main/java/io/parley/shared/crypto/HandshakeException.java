package io.parley.shared.crypto;

/**
 * A handshake frame broke the protocol or failed verification. The message is the reason given to
 * the peer ({@code STATUS HANDSHAKE_FAILED} desc on the server side), so it never holds secrets or
 * internal detail: it names the frame, the field and what was wrong.
 */
public final class HandshakeException extends Exception {
  public HandshakeException(String reason) {
    super(reason, null, false, false);
  }

  public String reason() {
    return getMessage();
  }
}
