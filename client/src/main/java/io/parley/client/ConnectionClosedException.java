package io.parley.client;

import io.parley.shared.protocol.Envelope;

/** A request could not be answered because the connection closed first. */
public final class ConnectionClosedException extends Exception {
  public ConnectionClosedException(String reason, Envelope serverStatus) {
    super(
        "connection closed ("
            + reason
            + ")"
            + (serverStatus == null ? "" : "; server said " + serverStatus.data().encode()));
  }
}
