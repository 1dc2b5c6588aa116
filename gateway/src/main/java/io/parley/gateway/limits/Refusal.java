package io.parley.gateway.limits;

import io.parley.shared.protocol.StatusCode;
import java.util.Locale;

/**
 * Every reason the gateway refuses a client or closes its connection, with the status the client is
 * told. One name per limit, so a metric, a log line and docs/security.md all say the same word.
 */
public enum Refusal {
  GATEWAY_CONNECTIONS(StatusCode.TOO_MANY_CONNECTIONS, "this gateway is at its connection limit; retry later"),
  ADDRESS_CONNECTIONS(StatusCode.TOO_MANY_CONNECTIONS, "too many connections from this address; retry later"),
  ADDRESS_HANDSHAKES(StatusCode.TOO_MANY_CONNECTIONS, "too many unfinished handshakes from this address; retry later"),
  ACCOUNT_CONNECTIONS(StatusCode.TOO_MANY_CONNECTIONS, "this account has too many live connections; close one first"),
  DEVICE_CONNECTIONS(StatusCode.TOO_MANY_CONNECTIONS, "a newer connection of this device replaced this one"),
  HANDSHAKE_SLOTS(StatusCode.SERVER_BUSY, "the gateway needed this handshake slot for a newer connection; reconnect"),
  PARTIAL_FRAME_BUDGET(StatusCode.SERVER_BUSY, "the gateway is short of memory for unfinished frames; reconnect"),
  FRAME_TIMEOUT(StatusCode.FRAME_TIMEOUT, "a frame was started but not finished in time"),
  FRAME_TOO_LARGE(StatusCode.TOO_LARGE, "a frame announced a length over the limit"),
  HANDSHAKE_FAILED(StatusCode.HANDSHAKE_FAILED, "the handshake broke the protocol"),
  HANDSHAKE_TIMEOUT(StatusCode.HANDSHAKE_TIMEOUT, "no CONN_OK in time"),
  PROTOCOL_ERROR(StatusCode.PROTOCOL_ERROR, "the record or packet layer was broken"),
  IDLE_TIMEOUT(StatusCode.IDLE_TIMEOUT, "nothing received for too long"),
  SLOW_READER(StatusCode.SLOW_READER, "the client stopped reading and its write queue filled"),
  RECORD_LIMIT(StatusCode.RECONNECT, "record limit of this channel reached; reconnect"),
  SHUTDOWN(StatusCode.RECONNECT, "the server is shutting down"),
  TOKEN_REFUSED(StatusCode.TOKEN_REFUSED, "the token was refused"),
  PACKET_RATE(StatusCode.RATE_LIMITED, "more packets than this connection's budget"),
  ACCOUNT_PACKET_RATE(StatusCode.RATE_LIMITED, "more packets than this account's budget over all its connections"),
  ADDRESS_PACKET_RATE(StatusCode.RATE_LIMITED, "more packets than this address's budget over all its connections");

  private final StatusCode status;
  private final String desc;

  Refusal(StatusCode status, String desc) {
    this.status = status;
    this.desc = desc;
  }

  /** What the client is told. */
  public StatusCode status() {
    return status;
  }

  /** A fixed phrase: never quotes what the client sent. */
  public String desc() {
    return desc;
  }

  /** The metric tag and log word: {@code address_handshakes}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
