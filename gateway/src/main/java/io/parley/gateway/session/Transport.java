package io.parley.gateway.session;

/**
 * How a {@link Session} reaches its client: TCP with length-prefixed frames or WebSocket messages.
 * The session never sees sockets; a transport never sees the protocol.
 */
public interface Transport {

  /** Sends one plaintext handshake frame (a WebSocket text message on WS). */
  void sendHandshakeFrame(byte[] frame);

  /** Sends one encrypted record (a WebSocket binary message on WS). */
  void sendRecord(byte[] record);

  /** True when the client has stopped reading and the bounded write queue is full. */
  boolean writeQueueFull();

  /** Stops reading, flushes what was written, then closes. Idempotent. */
  void close();

  /**
   * Drops the connection now, discarding what is still queued: for a reader that stopped reading,
   * whose queue would never flush. Idempotent.
   */
  void abort();

  /** The client's IP address (no port), for per-address limits and logs. */
  String remoteAddress();

  /**
   * The peer completed the handshake: frames may now be as large as the general limit (before it, a
   * handshake frame is at most {@code Limits.HANDSHAKE_FRAME_MAX_BYTES}).
   */
  void onHandshakeComplete();

  /** "tcp" or "ws", for logs and metrics. */
  String kind();
}
