package io.parley.auth.limits;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;

/**
 * A fixed-window counter in Redis: the first hit starts the window, the key expires with it. The
 * increment and the expiry are one Lua script, so a crash between them can never leave a counter
 * without an expiry (which would lock an account forever).
 */
public final class WindowCounter {
  private static final String INCREMENT =
      "local n = redis.call('INCR', KEYS[1]) "
          + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
          + "return n";

  private final RedisAPI redis;
  private final Duration window;

  public WindowCounter(RedisAPI redis, Duration window) {
    this.redis = redis;
    this.window = window;
  }

  /** Counts one hit and returns the count in the current window, this hit included. */
  public Future<Long> hit(String key) {
    return redis.eval(List.of(INCREMENT, "1", key, Long.toString(window.toMillis()))).map(count -> count.toLong());
  }

  /** The count in the current window, without counting. */
  public Future<Long> count(String key) {
    return redis.get(key).map(value -> value == null ? 0L : value.toLong());
  }

  /** Time until the current window ends, rounded up to seconds (0 when there is none). */
  public Future<Long> secondsLeft(String key) {
    return redis.pttl(key).map(ms -> ms.toLong() <= 0 ? 0L : (ms.toLong() + 999) / 1000);
  }

  public Future<Void> reset(String key) {
    return redis.del(List.of(key)).mapEmpty();
  }
}
