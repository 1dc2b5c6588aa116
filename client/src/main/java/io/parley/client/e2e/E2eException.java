package io.parley.client.e2e;

/** A sealed message could not be opened or built; the message says why, for a person to read. */
public class E2eException extends Exception {
  public E2eException(String message) {
    super(message);
  }

  public E2eException(String message, Throwable cause) {
    super(message, cause);
  }
}
