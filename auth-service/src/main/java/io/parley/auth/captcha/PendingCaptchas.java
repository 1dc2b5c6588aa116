package io.parley.auth.captcha;

import io.parley.shared.infra.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A captcha waiting for its S_CAPTCHA, kept in Redis under the connection that was asked: bound to
 * that connection, single use (taken with GETDEL, so two answers racing see it once), and gone after
 * the captcha's lifetime. One per connection: a newer SIGNUP or LOGIN captcha replaces an older one.
 *
 * <p>It is either a signup waiting to be created (holding the password's Argon2id hash, never the
 * password) or a LOGIN past the per-account threshold (holding only the account it was for).
 */
public final class PendingCaptchas {
  private final RedisAPI redis;
  private final Duration ttl;

  public PendingCaptchas(RedisAPI redis, Duration ttl) {
    this.redis = redis;
    this.ttl = ttl;
  }

  /**
   * @param captcha the server's half of the captcha (the answer, or the puzzle to check against)
   * @param signup for a SIGNUP: the account to create (user, email, fullname, dob, passwordHash); else null
   * @param login for a LOGIN: the account (or unknown login id) the captcha admits a password check for; else null
   * @param wrongAnswers wrong captcha answers so far in this attempt
   */
  public record Pending(JsonObject captcha, JsonObject signup, String login, int wrongAnswers) {
    public static Pending forSignup(JsonObject captcha, JsonObject account) {
      return new Pending(captcha, account, null, 0);
    }

    public static Pending forLogin(JsonObject captcha, String account) {
      return new Pending(captcha, null, account, 0);
    }

    public boolean isLogin() {
      return login != null;
    }

    /** The same attempt with a fresh captcha after a wrong answer. */
    public Pending retry(JsonObject freshCaptcha) {
      return new Pending(freshCaptcha, signup, login, wrongAnswers + 1);
    }

    JsonObject toJson() {
      return new JsonObject().put("captcha", captcha).put("account", signup).put("login", login).put("wrong", wrongAnswers);
    }

    static Pending fromJson(JsonObject json) {
      return new Pending(json.getJsonObject("captcha"), json.getJsonObject("account"), json.getString("login"), json.getInteger("wrong", 0));
    }
  }

  public Future<Void> put(String connection, Pending pending) {
    return redis.set(List.of(RedisKeys.captcha(connection), pending.toJson().encode(), "PX", Long.toString(ttl.toMillis())))
        .mapEmpty();
  }

  /** Removes and returns the pending captcha of this connection, if one is still alive. */
  public Future<Optional<Pending>> take(String connection) {
    return redis.getdel(RedisKeys.captcha(connection))
        .map(value -> value == null ? Optional.empty() : Optional.of(Pending.fromJson(new JsonObject(value.toString()))));
  }
}
