package io.parley.auth.signup;

import io.parley.shared.infra.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A signup waiting for its captcha, kept in Redis under the connection that asked for it: bound to
 * that connection, single use (taken with GETDEL, so two answers racing see it once), and gone
 * after the captcha's lifetime. It holds the password's Argon2id hash, never the password.
 */
public final class PendingSignups {
  private final RedisAPI redis;
  private final Duration ttl;

  public PendingSignups(RedisAPI redis, Duration ttl) {
    this.redis = redis;
    this.ttl = ttl;
  }

  /**
   * @param captcha the server's half of the captcha (the answer, or the puzzle to check against)
   * @param account the account to create: user, email, fullname, dob, passwordHash
   * @param wrongAnswers wrong captcha answers so far in this attempt
   */
  record Pending(JsonObject captcha, JsonObject account, int wrongAnswers) {
    JsonObject toJson() {
      return new JsonObject().put("captcha", captcha).put("account", account).put("wrong", wrongAnswers);
    }

    static Pending fromJson(JsonObject json) {
      return new Pending(json.getJsonObject("captcha"), json.getJsonObject("account"), json.getInteger("wrong", 0));
    }
  }

  Future<Void> put(String connection, Pending pending) {
    return redis.set(List.of(RedisKeys.captcha(connection), pending.toJson().encode(), "PX", Long.toString(ttl.toMillis())))
        .mapEmpty();
  }

  /** Removes and returns the pending signup of this connection, if one is still alive. */
  Future<Optional<Pending>> take(String connection) {
    return redis.getdel(RedisKeys.captcha(connection))
        .map(value -> value == null ? Optional.empty() : Optional.of(Pending.fromJson(new JsonObject(value.toString()))));
  }
}
