package io.parley.shared.protocol;

/**
 * Bytes that are not a JSON object within the parser limits. Unlike a bad field, this means the peer
 * does not speak the protocol, so the connection is closed (DESIGN §2).
 */
public final class MalformedPacketException extends Exception {
  public MalformedPacketException(String reason) {
    super(reason, null, false, false);
  }
}
