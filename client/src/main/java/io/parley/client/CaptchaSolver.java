package io.parley.client;

import io.vertx.core.Future;

/**
 * What {@link Accounts#signup} and {@link Accounts#login} cannot do alone: an image captcha needs a
 * person. Proof-of-work captchas are solved by the SDK itself and only reported here. LOGIN asks for
 * a captcha only after many failed logins for the account, and only from an address new to it.
 */
public interface CaptchaSolver {

  /** Shows the PNG to a person and completes with the characters they read (case does not matter). */
  Future<String> solveImage(byte[] png);

  /** Progress of a proof-of-work search: attempts so far and the expected total. Called off the event loop. */
  default void powProgress(long attempts, long expectedAttempts) {}
}
