package io.parley.auth.store;

import io.parley.shared.token.SessionToken;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Issued session tokens: PostgreSQL is the source of truth for revocation; Redis caches it. */
public final class TokenStore {
  private final Pool pool;

  public TokenStore(Pool pool) {
    this.pool = pool;
  }

  /** A revoked token that has not expired yet, for the Redis revocation cache. */
  public record Revoked(String tokenId, Instant expiresAt) {}

  /**
   * Records a token about to be handed out; false (nothing recorded, do not hand it out) when the
   * account is locked or gone. FOR SHARE orders this against a lock: a lock committed first is seen
   * here, and a lock waiting for this row sees the token when it revokes the account's tokens.
   */
  public Future<Boolean> recordIssued(SessionToken token) {
    return pool.preparedQuery(
            "INSERT INTO tokens (token_id, user_id, device_id, issued_at, expires_at)"
                + " SELECT $1, id, $3, $4, $5 FROM users WHERE username = $2 AND locked_at IS NULL FOR SHARE")
        .execute(
            Tuple.of(
                UUID.fromString(token.tokenId()),
                token.user(),
                token.device(),
                utc(token.issuedAt()),
                utc(token.expiresAt())))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Revokes every live token of one user's device; returns them so the cache can learn them too. */
  public Future<List<Revoked>> revokeDevice(String username, UUID device) {
    return pool.preparedQuery(
            "UPDATE tokens SET revoked_at = now() FROM users"
                + " WHERE tokens.user_id = users.id AND users.username = $1 AND tokens.device_id = $2"
                + " AND tokens.revoked_at IS NULL AND tokens.expires_at > now()"
                + " RETURNING tokens.token_id, tokens.expires_at")
        .execute(Tuple.of(username, device))
        .map(TokenStore::revoked);
  }

  /** Revokes every live token of the user, on every device (LOGOUT scope "all"). */
  public Future<List<Revoked>> revokeUser(String username) {
    return pool.preparedQuery(
            "UPDATE tokens SET revoked_at = now() FROM users"
                + " WHERE tokens.user_id = users.id AND users.username = $1"
                + " AND tokens.revoked_at IS NULL AND tokens.expires_at > now()"
                + " RETURNING tokens.token_id, tokens.expires_at")
        .execute(Tuple.of(username))
        .map(TokenStore::revoked);
  }

  /** Whether a token was revoked, from the source of truth; an unknown token id counts as revoked. */
  public Future<Boolean> isRevoked(UUID tokenId) {
    return pool.preparedQuery("SELECT revoked_at IS NOT NULL AS revoked FROM tokens WHERE token_id = $1")
        .execute(Tuple.of(tokenId))
        .map(rows -> !rows.iterator().hasNext() || rows.iterator().next().getBoolean("revoked"));
  }

  /** Every revoked token still within its lifetime: refills the Redis cache after a Redis restart. */
  public Future<List<Revoked>> liveRevocations() {
    return pool.query("SELECT token_id, expires_at FROM tokens WHERE revoked_at IS NOT NULL AND expires_at > now()")
        .execute()
        .map(TokenStore::revoked);
  }

  private static List<Revoked> revoked(Iterable<Row> rows) {
    List<Revoked> revoked = new ArrayList<>();
    for (Row row : rows) {
      revoked.add(new Revoked(row.getUUID("token_id").toString(), row.getOffsetDateTime("expires_at").toInstant()));
    }
    return revoked;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
