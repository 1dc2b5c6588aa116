package io.parley.auth.session;

import io.parley.auth.store.TokenStore;
import io.parley.shared.token.Revocations;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The auth service's side of the Redis revocation cache: writes revocations after PostgreSQL holds
 * them, and refills the whole cache from PostgreSQL (then marks it complete) at start and whenever a
 * gateway reports it incomplete. A failed write never fails the request that revoked: the revocation
 * is durable already, so the cache is marked incomplete and repaired by the next refill.
 */
public final class RevocationCache {
  private static final Logger log = LoggerFactory.getLogger(RevocationCache.class);

  /** Gateways ask on every AUTH_TOKEN while the cache is incomplete; refill at most this often. */
  static final long MIN_REFILL_INTERVAL_MS = 5_000;

  private final TokenStore tokens;
  private final Revocations revocations;
  private final LongSupplier clockMs;
  private final AtomicReference<Future<Void>> refilling = new AtomicReference<>();
  private volatile long lastRefillMs = Long.MIN_VALUE / 2;

  public RevocationCache(TokenStore tokens, Revocations revocations, LongSupplier clockMs) {
    this.tokens = tokens;
    this.revocations = revocations;
    this.clockMs = clockMs;
  }

  /** Caches freshly revoked tokens; never fails (see the class comment). */
  public Future<Void> cache(List<TokenStore.Revoked> revoked) {
    List<Future<Void>> writes = new ArrayList<>();
    revoked.forEach(token -> writes.add(revocations.revoke(token.tokenId(), token.expiresAt())));
    return Future.all(writes).<Void>mapEmpty().recover(failure -> {
      log.warn("revocation cache write failed ({}); marking the cache incomplete until the next refill", failure.toString());
      return revocations.markIncomplete().recover(alsoFailed -> Future.succeededFuture());
    });
  }

  /** Refills from PostgreSQL and marks the cache complete; concurrent callers share one refill. */
  public Future<Void> refill() {
    Future<Void> running = refilling.get();
    if (running != null) {
      return running;
    }
    Future<Void> refill = tokens.liveRevocations().compose(revoked -> {
      List<Future<Void>> writes = new ArrayList<>();
      revoked.forEach(token -> writes.add(revocations.revoke(token.tokenId(), token.expiresAt())));
      return Future.all(writes).compose(written -> revocations.markComplete()).onSuccess(done ->
          log.info("revocation cache refilled with {} live revoked tokens and marked complete", revoked.size()));
    });
    if (!refilling.compareAndSet(null, refill)) {
      return refilling.get();
    }
    lastRefillMs = clockMs.getAsLong();
    return refill.onComplete(done -> refilling.set(null));
  }

  /** A gateway found the cache incomplete: refill, unless a refill ran moments ago. */
  public void refillSoon() {
    if (clockMs.getAsLong() - lastRefillMs >= MIN_REFILL_INTERVAL_MS) {
      refill().onFailure(failure -> log.warn("revocation cache refill failed: {}", failure.toString()));
    }
  }
}
