package io.parley.shared.protocol.packet;

/**
 * The {@code format} of a CHAT_ACTION send: the seed's three. All three are valid packets; the message
 * service answers UNSUPPORTED_FORMAT for the ones not built yet, so clients can tell "not yet" from
 * "wrong".
 */
public enum MessageFormat {
  TEXT("msg-text"),
  SMALL_FILE("msg-smallfile"),
  LARGE_FILE("msg-largefile");

  private final String wireName;

  MessageFormat(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
