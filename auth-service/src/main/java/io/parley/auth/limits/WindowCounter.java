package io.parley.auth.limits;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;

/**
 * A fixed-window counter in Redis: the first hit starts the window, the key expires with it. Every
 * change is one Lua script, so a crash between the increment and the expiry can never leave a counter
 * without one (which would lock an account forever), and a limit check cannot race its own count.
 */
public final class WindowCounter {
  private static final String INCREMENT =
      "local n = redis.call('INCR', KEYS[1]) "
          + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
          + "return n";

  /** INCR then check, in one step: a burst of concurrent callers each see their own count. */
  private static final String RESERVE =
      "local n = redis.call('INCR', KEYS[1]) "
          + "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
          + "if n > tonumber(ARGV[2]) then redis.call('DECR', KEYS[1]) return 0 end "
          + "return 1";

  /**
   * Never below zero, and never on a key whose window already ended: a plain DECR there would create
   * a key without an expiry.
   */
  private static final String REFUND =
      "local n = tonumber(redis.call('GET', KEYS[1]) or '0') "
          + "if n > 0 then return redis.call('DECR', KEYS[1]) end "
          + "return 0";

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

  /** Counts one hit if the count stays within {@code limit}; true when it was counted, false (nothing counted) when over. */
  public Future<Boolean> reserve(String key, int limit) {
    return redis.eval(List.of(RESERVE, "1", key, Long.toString(window.toMillis()), Integer.toString(limit)))
        .map(counted -> counted.toLong() == 1L);
  }

  /** Takes back one hit counted earlier in this window (nothing once the window has ended). */
  public Future<Void> refund(String key) {
    return redis.eval(List.of(REFUND, "1", key)).mapEmpty();
  }

  /** Time until the current window ends, rounded up to seconds (0 when there is none). */
  public Future<Long> secondsLeft(String key) {
    return redis.pttl(key).map(ms -> ms.toLong() <= 0 ? 0L : (ms.toLong() + 999) / 1000);
  }
}
