package io.parley.auth.store;

import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/** Accounts in the auth schema: one SQL statement per method. */
public final class AccountStore {
  /** PostgreSQL's unique_violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public AccountStore(Pool pool) {
    this.pool = pool;
  }

  public record NewAccount(String username, String email, String fullname, LocalDate dob, String passwordHash) {}

  /** @param locked an administrator locked the account: the right password still may not log in */
  public record Credentials(UUID id, String username, String passwordHash, boolean locked) {}

  /**
   * Inserts the account. The unique indexes are the only check for taken names (none is made before
   * the captcha, so SIGNUP cannot be used to probe for accounts), and they decide races: two
   * connections signing up the same name get exactly one account and the other USERNAME_TAKEN.
   */
  public Future<UUID> createAccount(NewAccount account) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery(
            "INSERT INTO users (id, username, email, fullname, dob, password_hash) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(Tuple.of(id, account.username(), account.email(), account.fullname(), account.dob(), account.passwordHash()))
        .<UUID>map(done -> id)
        .recover(AccountStore::translateUniqueViolation);
  }

  /** The account a LOGIN id names: a username, or an email compared case-insensitively. */
  public Future<Optional<Credentials>> findForLogin(String lookupKey) {
    return pool.preparedQuery(
            "SELECT id, username, password_hash, locked_at IS NOT NULL AS locked FROM users WHERE username = $1 OR lower(email) = $1 LIMIT 1")
        .execute(Tuple.of(lookupKey))
        .map(AccountStore::firstCredentials);
  }

  /**
   * Removes the account row; its devices (with their chat keys) and device bindings go with it (ON
   * DELETE CASCADE), its revoked tokens stay until they expire (V3). The username and email are free
   * again afterwards.
   */
  public Future<Void> deleteAccount(UUID id) {
    return pool.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(id)).mapEmpty();
  }

  public Future<Void> replacePasswordHash(UUID id, String passwordHash) {
    return pool.preparedQuery("UPDATE users SET password_hash = $2 WHERE id = $1")
        .execute(Tuple.of(id, passwordHash))
        .mapEmpty();
  }

  private static Optional<Credentials> firstCredentials(RowSet<Row> rows) {
    if (!rows.iterator().hasNext()) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new Credentials(row.getUUID("id"), row.getString("username"), row.getString("password_hash"), row.getBoolean("locked")));
  }

  private static <T> Future<T> translateUniqueViolation(Throwable failure) {
    if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
      String constraint = String.valueOf(pg.getConstraint());
      if (constraint.contains("email")) {
        return Future.failedFuture(new StatusException(StatusCode.EMAIL_TAKEN, "email: an account with this email exists"));
      }
      return Future.failedFuture(new StatusException(StatusCode.USERNAME_TAKEN, "user: this username is taken"));
    }
    return Future.failedFuture(failure);
  }
}
