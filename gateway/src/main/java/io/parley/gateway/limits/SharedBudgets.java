package io.parley.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Packet budgets that follow the person, not the socket: one bucket per account and one per client
 * address, shared by all their connections on this gateway process (thread-safe: the buckets are used
 * from every event loop). A bucket exists only while it remembers use: {@link #sweep} drops full
 * ones, so memory is bounded by the accounts and addresses active in the last burst/rate seconds.
 *
 * <p>Across gateways, {@link ClusterBudgets} adds what the other processes counted, through Redis;
 * this class alone is the local fallback that holds whatever Redis does.
 */
public final class SharedBudgets {
  /** One bucket's settings. */
  public record Rate(int perSecond, int burst) {}

  public static final String USER_PREFIX = "user:";

  private final Rate accountRate;
  private final Rate addressRate;
  private final LongSupplier clockMs;
  private final Map<String, TokenBucket> accounts = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> addresses = new ConcurrentHashMap<>();
  private final ClusterBudgets cluster;

  public SharedBudgets(Rate accountRate, Rate addressRate, LongSupplier clockMs, ClusterBudgets cluster) {
    this.accountRate = accountRate;
    this.addressRate = addressRate;
    this.clockMs = clockMs;
    this.cluster = cluster;
  }

  /**
   * Charges one packet to {@code address} and, when authenticated, to {@code user}; returns the
   * refusal when either budget is spent (the packet is charged to neither then), or null.
   */
  public Refusal charge(String user, String address) {
    String addressKey = addressKey(address);
    if (!take(addresses, addressKey, addressRate) || cluster.throttled(addressKey)) {
      return Refusal.ADDRESS_PACKET_RATE;
    }
    String userKey = user == null ? null : userKey(user);
    if (userKey != null && (!take(accounts, userKey, accountRate) || cluster.throttled(userKey))) {
      return Refusal.ACCOUNT_PACKET_RATE;
    }
    cluster.count(addressKey);
    if (userKey != null) {
      cluster.count(userKey);
    }
    return null;
  }

  /** Milliseconds until the refused budget admits a packet again. */
  public long retryAfterMs(Refusal refusal, String user, String address) {
    boolean account = refusal == Refusal.ACCOUNT_PACKET_RATE;
    String key = account ? userKey(user) : addressKey(address);
    TokenBucket bucket = (account ? accounts : addresses).get(key);
    long local = 0;
    if (bucket != null) {
      synchronized (bucket) {
        local = bucket.retryAfterMs();
      }
    }
    return Math.max(local, cluster.retryAfterMs(key));
  }

  /** Budget keys, one namespace for both kinds (ClusterBudgets reads the prefix for the allowance). */
  static String userKey(String user) {
    return USER_PREFIX + user;
  }

  static String addressKey(String address) {
    return "ip:" + address;
  }

  private boolean take(Map<String, TokenBucket> buckets, String key, Rate rate) {
    TokenBucket bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(rate.perSecond(), rate.burst(), clockMs));
    synchronized (bucket) {
      return bucket.tryTake();
    }
  }

  /** Drops buckets that have refilled completely; they hold no state worth keeping. */
  public void sweep() {
    sweep(accounts);
    sweep(addresses);
  }

  private static void sweep(Map<String, TokenBucket> buckets) {
    buckets.entrySet().removeIf(entry -> {
      synchronized (entry.getValue()) {
        return entry.getValue().isFull();
      }
    });
  }

  int size() {
    return accounts.size() + addresses.size();
  }
}
