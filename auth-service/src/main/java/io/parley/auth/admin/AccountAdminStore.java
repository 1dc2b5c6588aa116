package io.parley.auth.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Optional;

/** What parley-admin reads and changes in the auth schema: one SQL statement per method. */
public final class AccountAdminStore {
  /** A search names a person, not a population: more than this many matches asks for a narrower query. */
  static final int MAX_FOUND = 50;

  private final Pool pool;

  public AccountAdminStore(Pool pool) {
    this.pool = pool;
  }

  /** Accounts whose username, email or full name contains {@code query} (case-insensitive), by username. */
  public Future<JsonArray> find(String query) {
    String pattern = "%" + query.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return pool.preparedQuery(
            "SELECT username, email, fullname, created_at, locked_at FROM users"
                + " WHERE username LIKE $1 OR lower(email) LIKE $1 OR lower(fullname) LIKE $1"
                + " ORDER BY username LIMIT " + MAX_FOUND)
        .execute(Tuple.of(pattern))
        .map(rows -> {
          JsonArray users = new JsonArray();
          rows.forEach(row -> users.add(new JsonObject()
              .put("user", row.getString("username"))
              .put("email", row.getString("email"))
              .put("fullname", row.getString("fullname"))
              .put("created", instant(row, "created_at"))
              .put("locked", row.getValue("locked_at") != null)));
          return users;
        });
  }

  /** Sets or clears the lock; a lock keeps its first time when repeated. False when there is no such account. */
  public Future<Boolean> setLocked(String username, boolean locked) {
    return pool.preparedQuery(
            "UPDATE users SET locked_at = CASE WHEN $2 THEN coalesce(locked_at, now()) ELSE NULL END WHERE username = $1")
        .execute(Tuple.of(username, locked))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The account's own fields (never its password hash). */
  public Future<Optional<JsonObject>> profile(String username) {
    return pool.preparedQuery("SELECT username, email, fullname, dob, created_at, locked_at FROM users WHERE username = $1")
        .execute(Tuple.of(username))
        .map(rows -> {
          if (!rows.iterator().hasNext()) {
            return Optional.empty();
          }
          Row row = rows.iterator().next();
          return Optional.of(new JsonObject()
              .put("user", row.getString("username"))
              .put("email", row.getString("email"))
              .put("fullname", row.getString("fullname"))
              .put("dob", row.getLocalDate("dob").toString())
              .put("created", instant(row, "created_at"))
              .put("locked", row.getValue("locked_at") != null)
              .put("locked_at", instant(row, "locked_at")));
        });
  }

  /**
   * The account's devices, most recently seen first: when each was first and last used, its chat
   * public key (null before CHAT_ENCRYPT_C) and how many unrevoked, unexpired tokens it holds.
   */
  public Future<JsonArray> devices(String username) {
    return pool.preparedQuery(
            "SELECT b.device_id, b.bound_at, b.last_seen_at, d.chat_pubkey,"
                + " (SELECT count(*) FROM tokens t WHERE t.user_id = u.id AND t.device_id = b.device_id"
                + "   AND t.revoked_at IS NULL AND t.expires_at > now()) AS live_tokens"
                + " FROM device_bindings b JOIN users u ON u.id = b.user_id"
                + " LEFT JOIN devices d ON d.user_id = u.id AND d.device_id = b.device_id"
                + " WHERE u.username = $1 ORDER BY b.last_seen_at DESC")
        .execute(Tuple.of(username))
        .map(rows -> {
          JsonArray devices = new JsonArray();
          rows.forEach(row -> devices.add(new JsonObject()
              .put("device", row.getUUID("device_id").toString())
              .put("created", instant(row, "bound_at"))
              .put("last_seen", instant(row, "last_seen_at"))
              .put("live_tokens", row.getLong("live_tokens"))
              .put("chat_pubkey", row.getString("chat_pubkey"))));
          return devices;
        });
  }

  private static String instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }
}
