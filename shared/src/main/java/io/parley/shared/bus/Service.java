package io.parley.shared.bus;

/** Which process owns a packet: the gateway itself or one of the services behind the bus. */
public enum Service {
  /** Handled by the gateway's connection state machine (handshake) and never forwarded. */
  GATEWAY,
  AUTH,
  ROOM,
  MESSAGE,
  /** Sent by the server only; a client sending it gets UNKNOWN_TYPE. */
  NONE
}
