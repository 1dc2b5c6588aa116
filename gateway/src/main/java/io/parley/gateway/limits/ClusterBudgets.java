package io.parley.gateway.limits;

import io.parley.shared.infra.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide half of the shared packet budgets. Each gateway process counts packets per budget
 * key locally and, every {@link #FLUSH_INTERVAL_MS}, adds the counts of keys that sent a noticeable
 * share of their budget to a per-second Redis counter in one pipelined batch (INCRBY + PEXPIRE).
 * When a key's cluster-wide count for the current second is over its per-second allowance
 * (burst + rate), every gateway that sees the sum refuses that key until the second ends.
 *
 * <p>Nothing here is on a packet's path to Redis: a packet costs a map lookup and an increment.
 * Keys below a quarter of their allowance per flush never reach Redis (a person chatting never does),
 * so a key spread thinly over many gateways can get up to about four times its budget per gateway
 * before the sum catches it; the local bucket of each gateway still holds. If Redis is slow or down,
 * flushes are skipped and the local buckets alone apply: the fallback is built in, not switched on.
 */
public final class ClusterBudgets {
  private static final Logger log = LoggerFactory.getLogger(ClusterBudgets.class);

  /** Counters are per second, so a flush four times a second sees a flood within ~250 ms. */
  public static final long FLUSH_INTERVAL_MS = 250;

  private final boolean enabled;
  private final LongSupplier clockMs;
  /** The per-second allowance of a key (burst + rate of its kind). */
  private final ToLongFunction<String> allowance;
  private final Map<String, LongAdder> unflushed = new ConcurrentHashMap<>();
  private final Map<String, Long> throttledUntilMs = new ConcurrentHashMap<>();
  private final AtomicBoolean flushing = new AtomicBoolean();

  public ClusterBudgets(boolean enabled, LongSupplier clockMs, ToLongFunction<String> allowance) {
    this.enabled = enabled;
    this.clockMs = clockMs;
    this.allowance = allowance;
  }

  /** A budget that never consults Redis (tests of other parts, single-gateway tools). */
  static ClusterBudgets localOnly(LongSupplier clockMs) {
    return new ClusterBudgets(false, clockMs, key -> Long.MAX_VALUE);
  }

  void count(String key) {
    if (enabled) {
      unflushed.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
  }

  boolean throttled(String key) {
    Long until = throttledUntilMs.get(key);
    return until != null && until > clockMs.getAsLong();
  }

  long retryAfterMs(String key) {
    Long until = throttledUntilMs.get(key);
    return until == null ? 0 : Math.max(0, until - clockMs.getAsLong());
  }

  /**
   * Sends this interval's significant counts through {@code redis} (any gateway instance's client:
   * each instance's timer calls this, and at most one flush is in flight); failures are only logged.
   */
  public Future<Void> flush(Redis redis) {
    long now = clockMs.getAsLong();
    throttledUntilMs.values().removeIf(until -> until <= now);
    if (!enabled || unflushed.isEmpty() || !flushing.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    long second = now / 1000;
    List<String> keys = new ArrayList<>();
    List<Request> requests = new ArrayList<>();
    for (Map.Entry<String, LongAdder> entry : unflushed.entrySet()) {
      long count = entry.getValue().sumThenReset();
      String key = entry.getKey();
      if (count == 0) {
        unflushed.remove(key, entry.getValue());
        continue;
      }
      long perFlush = allowance.applyAsLong(key) * FLUSH_INTERVAL_MS / 1000;
      if (count * 4 < perFlush) {
        continue;
      }
      String counter = RedisKeys.packetBudget(key, second);
      keys.add(key);
      requests.add(Request.cmd(Command.INCRBY).arg(counter).arg(count));
      requests.add(Request.cmd(Command.PEXPIRE).arg(counter).arg(2000));
    }
    if (requests.isEmpty()) {
      flushing.set(false);
      return Future.succeededFuture();
    }
    return redis.batch(requests)
        .onSuccess(responses -> apply(keys, responses, second))
        .onFailure(failure -> log.debug("packet budget flush skipped: {}", failure.toString()))
        .onComplete(done -> flushing.set(false))
        .mapEmpty();
  }

  private void apply(List<String> keys, List<Response> responses, long second) {
    for (int i = 0; i < keys.size(); i++) {
      Response total = responses.get(2 * i);
      if (total != null && total.toLong() > allowance.applyAsLong(keys.get(i))) {
        throttledUntilMs.put(keys.get(i), (second + 1) * 1000);
      }
    }
  }
}
