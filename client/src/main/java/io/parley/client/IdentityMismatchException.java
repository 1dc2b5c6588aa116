package io.parley.client;

/** The server proved a different identity key than the one pinned: possibly an impostor. */
public final class IdentityMismatchException extends Exception {
  public IdentityMismatchException(String server, String expected, String presented) {
    super(
        "server identity of "
            + server
            + " changed: expected fingerprint "
            + expected
            + " but the server proved "
            + presented
            + ". Refusing to connect. If the operator really replaced the key, remove the line for "
            + server
            + " from the known servers file.");
  }
}
