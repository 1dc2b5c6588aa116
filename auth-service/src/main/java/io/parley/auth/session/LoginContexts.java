package io.parley.auth.session;

import io.parley.shared.infra.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;

/**
 * LOGIN's `save` choice, remembered per connection until CHAT_ENCRYPT_C asks for the token (the seed
 * sends GEN_TOKEN in answer to the chat key, not to LOGIN). A connection authenticated by AUTH_TOKEN
 * has none and gets a session-length token.
 */
public final class LoginContexts {
  private final RedisAPI redis;
  private final Duration ttl;

  public LoginContexts(RedisAPI redis, Duration ttl) {
    this.redis = redis;
    this.ttl = ttl;
  }

  public Future<Void> remember(String connection, String user, boolean save) {
    String value = new JsonObject().put("user", user).put("save", save).encode();
    return redis.set(List.of(RedisKeys.loginContext(connection), value, "PX", Long.toString(ttl.toMillis()))).mapEmpty();
  }

  /** The `save` flag of this connection's LOGIN as this user; false when there was none. */
  public Future<Boolean> saveRequested(String connection, String user) {
    return redis.get(RedisKeys.loginContext(connection)).map(value -> {
      if (value == null) {
        return false;
      }
      JsonObject context = new JsonObject(value.toString());
      return user.equals(context.getString("user")) && context.getBoolean("save", false);
    });
  }

  public Future<Void> forget(String connection) {
    return redis.del(List.of(RedisKeys.loginContext(connection))).mapEmpty();
  }
}
