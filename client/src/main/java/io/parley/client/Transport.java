package io.parley.client;

/** How the client reaches a gateway. */
public enum Transport {
  /** Length-prefixed frames on a TCP socket (default port 7400). */
  TCP,
  /** One packet per WebSocket message at ws://host:port/ws (default port 7401). */
  WEBSOCKET
}
