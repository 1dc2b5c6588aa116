package io.parley.shared.protocol;

/**
 * A well-formed packet whose field breaks a rule. The gateway and services answer it with
 * STATUS BAD_PACKET (or the more specific {@link #code()}) naming the field, and keep the connection.
 */
public final class BadPacketException extends RuntimeException {
  private final String field;
  private final String reason;
  private final StatusCode code;

  public BadPacketException(String field, String reason) {
    this(StatusCode.BAD_PACKET, field, reason);
  }

  public BadPacketException(StatusCode code, String field, String reason) {
    super(field + ": " + reason, null, false, false);
    this.code = code;
    this.field = field;
    this.reason = reason;
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }

  public StatusCode code() {
    return code;
  }

  /** The STATUS reply: {@code desc} is "field: reason", the field path as the client wrote it. */
  public Envelope toStatus() {
    return Envelope.status(code, getMessage());
  }
}
