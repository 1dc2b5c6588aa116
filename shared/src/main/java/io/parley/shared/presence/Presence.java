package io.parley.shared.presence;

import io.parley.shared.infra.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;

/**
 * Which gateway node holds each online device (DESIGN §4): a Redis hash per user, device uuid →
 * node, with an expiry that the gateways keep refreshing while the connection lives. A crashed
 * gateway's entries therefore vanish by themselves, and nothing cluster-wide grows per connection.
 */
public final class Presence {
  /** HSET and PEXPIRE in one step, so an entry never exists without an expiry. */
  private static final String REGISTER =
      "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
          + "if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end "
          + "return 1";

  private final RedisAPI redis;
  private final Duration ttl;

  public Presence(RedisAPI redis, Duration ttl) {
    this.redis = redis;
    this.ttl = ttl;
  }

  /** Registers (or refreshes) a device's connection on a gateway node. */
  public Future<Void> register(String user, String device, String node) {
    return redis.eval(List.of(REGISTER, "1", RedisKeys.presence(user), device, node, Long.toString(ttl.toMillis())))
        .mapEmpty();
  }

  public Future<Void> unregister(String user, String device) {
    return redis.hdel(List.of(RedisKeys.presence(user), device)).mapEmpty();
  }
}
