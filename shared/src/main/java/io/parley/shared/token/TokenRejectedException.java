package io.parley.shared.token;

/**
 * A session token that must not authenticate anyone. The message says why in terms an operator can
 * act on and never contains the token or any part of it (DESIGN §5: logs never contain tokens).
 *
 * <p>Carries no stack trace: rejections are an expected outcome that a client (or an attacker
 * replaying garbage) can cause at packet rate, and the reason says everything the trace would.
 */
public final class TokenRejectedException extends RuntimeException {

  public enum Reason {
    /** Not a compact JWS of ours: wrong shape, bad base64url, not JSON, unexpected header fields. */
    MALFORMED,
    /** The signature does not verify with our key, or the header names another algorithm (incl. "none"). */
    BAD_SIGNATURE,
    /** Signed by us, but {@code exp} has passed (beyond the allowed clock skew). */
    EXPIRED,
    /** Signed by us, but the claims are not the ones a Parley session token carries. */
    WRONG_CLAIMS
  }

  private final Reason reason;

  public TokenRejectedException(Reason reason, String message) {
    super(reason + ": " + message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
