package io.parley.shared.token;

import io.parley.shared.infra.RedisKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The Redis cache of revoked token ids that gateways consult on every AUTH_TOKEN. The auth service
 * writes PostgreSQL first, then here, and refills this cache from PostgreSQL when it starts, so a
 * Redis restart cannot resurrect a revoked token for longer than the auth service takes to start.
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

  public Future<Boolean> isRevoked(String tokenId) {
    return redis.exists(List.of(RedisKeys.revokedToken(tokenId))).map(count -> count.toLong() > 0);
  }
}
