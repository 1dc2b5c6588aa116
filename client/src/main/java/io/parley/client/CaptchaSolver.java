package io.parley.client;

import io.vertx.core.Future;

/**
 * What {@link Accounts#signup} cannot do alone: an image captcha needs a person. Proof-of-work
 * captchas are solved by the SDK itself and only reported here.
 */
public interface CaptchaSolver {

  /** Shows the PNG to a person and completes with the characters they read (case does not matter). */
  Future<String> solveImage(byte[] png);

  /** Progress of a proof-of-work search: attempts so far and the expected total. Called off the event loop. */
  default void powProgress(long attempts, long expectedAttempts) {}
}
