package io.parley.client.e2e;

/** The local chat key file is missing its key, corrupted or unsafe; the message says what to do. */
public final class ChatKeyException extends java.io.IOException {
  public ChatKeyException(String message) {
    super(message);
  }
}
