package io.parley.shared.presence;

import io.parley.shared.infra.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * An entry outlives its last refresh by three refresh periods, so one slow Redis round trip never
   * makes an online device look offline, and a crashed gateway's devices vanish within 90 s.
   */
  public static final Duration TTL = Duration.ofSeconds(90);

  /** How often a gateway refreshes the entries of its authenticated connections. */
  public static final Duration REFRESH = Duration.ofSeconds(30);

  private final Redis redis;
  private final RedisAPI api;

  public Presence(Redis redis) {
    this.redis = redis;
    this.api = RedisAPI.api(redis);
  }

  /** Registers (or refreshes) a device's connection on a gateway node. */
  public Future<Void> register(String user, String device, String node) {
    return api.eval(List.of(REGISTER, "1", RedisKeys.presence(user), device, node, Long.toString(TTL.toMillis())))
        .mapEmpty();
  }

  /** A device connected to a node, as {@link #refreshAll} takes them. */
  public record Entry(String user, String device, String node) {}

  /** Most presence writes one pipelined batch carries; a gateway with more sessions sends several. */
  static final int REFRESH_BATCH = 500;

  /**
   * Refreshes many entries in pipelined batches, one after another: a gateway with tens of thousands
   * of sessions must not queue one request per session into the Redis pool (it overflows the pool's
   * queue, and requests of live clients fail).
   */
  public Future<Void> refreshAll(List<Entry> entries) {
    return writeAll(entries);
  }

  /**
   * {@link #refreshAll(List)}, after writing {@code marker} with the entries' expiry; answers whether
   * the marker was still there before this write. The marker goes first: a Redis that loses its data
   * after it was written loses the marker too, so the next refresh (or {@link #markerPresent}) finds
   * out; what was lost before it was written is written again after it. (SET with GET: Redis 6.2+.)
   */
  public Future<Boolean> refreshAll(List<Entry> entries, String marker) {
    return api.set(List.of(RedisKeys.presenceMarker(marker), "1", "PX", Long.toString(TTL.toMillis()), "GET"))
        .compose(previous -> writeAll(entries).map(written -> previous != null));
  }

  private Future<Void> writeAll(List<Entry> entries) {
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < entries.size(); from += REFRESH_BATCH) {
      List<Entry> batch = entries.subList(from, Math.min(entries.size(), from + REFRESH_BATCH));
      chain = chain.compose(done -> refreshBatch(batch));
    }
    return chain;
  }

  private Future<Void> refreshBatch(List<Entry> batch) {
    List<Request> requests = new ArrayList<>(batch.size());
    for (Entry entry : batch) {
      requests.add(Request.cmd(Command.EVAL)
          .arg(REGISTER).arg(1).arg(RedisKeys.presence(entry.user())).arg(entry.device()).arg(entry.node()).arg(TTL.toMillis()));
    }
    return redis.batch(requests).mapEmpty();
  }

  /**
   * Whether {@code marker} is still in Redis. False after a refresh wrote it means Redis lost data it
   * held (restarted empty, failed over to a replica that never had it, flushed) without any command of
   * ours failing, so its writer must register its entries again.
   */
  public Future<Boolean> markerPresent(String marker) {
    return api.exists(List.of(RedisKeys.presenceMarker(marker))).map(count -> count.toLong() > 0);
  }

  public Future<Void> unregister(String user, String device) {
    return api.hdel(List.of(RedisKeys.presence(user), device)).mapEmpty();
  }

  /**
   * The online devices of these users, grouped by the node that holds them: node → user → devices.
   * One pipelined round trip for the whole list, however many members a room has.
   */
  public Future<Map<String, Map<String, List<String>>>> devicesByNode(Collection<String> users) {
    if (users.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> order = new ArrayList<>(users);
    List<Request> lookups = new ArrayList<>(order.size());
    for (String user : order) {
      lookups.add(Request.cmd(Command.HGETALL).arg(RedisKeys.presence(user)));
    }
    return redis.batch(lookups).map(responses -> {
      Map<String, Map<String, List<String>>> byNode = new HashMap<>();
      for (int i = 0; i < order.size(); i++) {
        Response devices = responses.get(i);
        if (devices == null) {
          continue;
        }
        for (String device : devices.getKeys()) {
          String node = devices.get(device).toString();
          byNode.computeIfAbsent(node, n -> new HashMap<>()).computeIfAbsent(order.get(i), u -> new ArrayList<>()).add(device);
        }
      }
      return byNode;
    });
  }
}
