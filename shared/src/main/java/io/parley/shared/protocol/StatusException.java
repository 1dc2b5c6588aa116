package io.parley.shared.protocol;

/**
 * A request that cannot be served, with the STATUS code the client gets (FORBIDDEN, ROOM_NOT_FOUND,
 * RATE_LIMITED...). Services fail their futures with it; the bus endpoint turns it into the reply.
 * No stack trace: it is an answer, not a fault.
 */
public final class StatusException extends RuntimeException {
  private final StatusCode code;

  public StatusException(StatusCode code, String desc) {
    super(desc, null, false, false);
    this.code = code;
  }

  public StatusCode code() {
    return code;
  }

  public Envelope toStatus() {
    return Envelope.status(code, getMessage());
  }
}
