package io.parley.client;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import java.util.Optional;

/** The server answered a request with an error STATUS; {@link #code()} says which. */
public final class ParleyStatusException extends Exception {
  private final String sig;
  private final String desc;

  public ParleyStatusException(Envelope reply) {
    super(reply.data().getString("sig", "?") + (reply.data().getString("desc") == null ? "" : ": " + reply.data().getString("desc")));
    this.sig = reply.data().getString("sig", "?");
    this.desc = reply.data().getString("desc");
  }

  /** The status code, or empty for a code this SDK version does not know (newer server). */
  public Optional<StatusCode> code() {
    return StatusCode.fromWire(sig);
  }

  public String sig() {
    return sig;
  }

  public String desc() {
    return desc;
  }
}
