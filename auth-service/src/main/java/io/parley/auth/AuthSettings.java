package io.parley.auth;

import io.parley.auth.captcha.CaptchaKind;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import java.time.Duration;

/** The auth service's limits, read once from configuration. */
record AuthSettings(
    CaptchaKind captchaKind,
    int powDifficultyBits,
    int captchaMaxWrong,
    int signupsPerAddress,
    int loginFailuresPerAccount,
    int loginFailuresPerAddress,
    Duration loginFailureWindow,
    int passwordThreads,
    int passwordQueueMax) {

  /** A captcha (and the signup waiting on it) lives this long (DESIGN §2). */
  static final Duration CAPTCHA_TTL = Duration.ofMinutes(2);

  /** The window of the per-address signup limit. */
  static final Duration SIGNUP_WINDOW = Duration.ofMinutes(10);

  /** How long a connection remembers its LOGIN's `save` choice for the token CHAT_ENCRYPT_C asks for. */
  static final Duration LOGIN_CONTEXT_TTL = Duration.ofHours(1);

  /**
   * How long an address that logged into an account stays known to it, refreshed by every success:
   * past the captcha threshold, a known address logs in without one. A quarter covers people who log
   * in rarely without keeping a years-long history of where everyone logs in from.
   */
  static final Duration KNOWN_LOGIN_ADDRESS_TTL = Duration.ofDays(90);

  static AuthSettings from(ParleyConfig config) {
    return new AuthSettings(
        CaptchaKind.fromWire(config.get(ConfigKey.CAPTCHA_KIND)),
        config.getInt(ConfigKey.POW_DIFFICULTY_BITS),
        config.getInt(ConfigKey.CAPTCHA_MAX_WRONG),
        config.getInt(ConfigKey.SIGNUPS_PER_ADDRESS),
        config.getInt(ConfigKey.LOGIN_FAILURES_PER_ACCOUNT),
        config.getInt(ConfigKey.LOGIN_FAILURES_PER_ADDRESS),
        Duration.ofSeconds(config.getLong(ConfigKey.LOGIN_FAILURE_WINDOW_S)),
        config.getInt(ConfigKey.PASSWORD_THREADS),
        config.getInt(ConfigKey.PASSWORD_QUEUE_MAX));
  }
}
