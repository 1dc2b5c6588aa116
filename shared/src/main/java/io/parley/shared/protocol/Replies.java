package io.parley.shared.protocol;

/** Replies that carry more than their status, built in one place for every sender. */
public final class Replies {
  private Replies() {}

  /** LOGIN_OK names the account: a client that logged in with its email learns its username. */
  public static Envelope loginOk(String user) {
    Envelope ok = Envelope.status(StatusCode.LOGIN_OK);
    ok.data().put("user", user);
    return ok;
  }

  /** The STATUS RATE_LIMITED field saying how long until the budget admits a packet again. */
  public static final String RETRY_AFTER_MS = "retry_after_ms";

  /**
   * RATE_LIMITED with {@code retry_after_ms}: packets sent before that time has passed are dropped
   * without a reply, so a client waits at least this long before resending.
   */
  public static Envelope rateLimited(String desc, long retryAfterMs) {
    Envelope limited = Envelope.status(StatusCode.RATE_LIMITED, desc);
    limited.data().put(RETRY_AFTER_MS, retryAfterMs);
    return limited;
  }
}
