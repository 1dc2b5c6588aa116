package io.parley.shared.token;

import io.parley.shared.infra.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The Redis cache of revoked token ids that gateways consult on every AUTH_TOKEN. PostgreSQL is the
 * source of truth: the auth service writes it first, then here. The cache knows whether it is
 * complete ({@link RedisKeys#revocationsComplete}): the auth service sets the marker after refilling
 * the cache from PostgreSQL and deletes it when a revocation could not be written here. A restarted,
 * empty Redis has no marker, so its silence about a token is {@link Verdict#UNKNOWN}, never "live":
 * the gateway then asks the auth service, which answers from PostgreSQL and refills the cache.
 */
public final class Revocations {
  private final RedisAPI redis;
  private final Clock clock;

  public Revocations(RedisAPI redis, Clock clock) {
    this.redis = redis;
    this.clock = clock;
  }

  /** Remembers a revoked token until the moment it would have expired anyway. */
  public Future<Void> revoke(String tokenId, Instant expiresAt) {
    long remainingMs = Duration.between(clock.instant(), expiresAt).toMillis();
    if (remainingMs <= 0) {
      return Future.succeededFuture();
    }
    return redis.set(List.of(RedisKeys.revokedToken(tokenId), "1", "PX", Long.toString(remainingMs))).mapEmpty();
  }

  /** What the cache can say about one token. */
  public enum Verdict {
    REVOKED,
    LIVE,
    /** The cache is not known to be complete: ask the source of truth. */
    UNKNOWN
  }

  /** One round trip: the token's key and the completeness marker together. */
  public Future<Verdict> check(String tokenId) {
    return redis.mget(List.of(RedisKeys.revokedToken(tokenId), RedisKeys.revocationsComplete())).map(values -> {
      if (values.get(0) != null) {
        return Verdict.REVOKED;
      }
      return values.get(1) != null ? Verdict.LIVE : Verdict.UNKNOWN;
    });
  }

  /** The cache now holds every revocation PostgreSQL holds. */
  public Future<Void> markComplete() {
    return redis.set(List.of(RedisKeys.revocationsComplete(), "1")).mapEmpty();
  }

  /** A revocation could not be cached: until the next refill, gateways must ask the auth service. */
  public Future<Void> markIncomplete() {
    return redis.del(List.of(RedisKeys.revocationsComplete())).mapEmpty();
  }
}
