package io.parley.shared.infra;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered SQL migrations of one service's schema, and the runner that applies them.
 *
 * <h2>Layout</h2>
 * Migrations are classpath resources {@code db/<schema>/V<n>__<description>.sql}, listed in order in
 * {@code db/<schema>/migrations.txt} (one file name per line; blank lines and {@code #} comments
 * ignored). Versions must run 1, 2, 3, ... without gaps. The index exists because a classpath
 * directory cannot be listed inside a shaded jar, and probing {@code V1}, {@code V2}, ... cannot work
 * when the description is part of the file name; the index also makes "which migrations ship" a
 * reviewable one-line diff.
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>The schema is created when absent, with a {@code <schema>.schema_migrations(version,
 *       description, checksum, applied_at)} table.</li>
 *   <li>Each pending migration runs in its own transaction together with its bookkeeping row, so a
 *       failing migration leaves nothing behind (PostgreSQL DDL is transactional) and the next start
 *       retries it. Consequently a migration must not contain {@code BEGIN}/{@code COMMIT} or
 *       statements that refuse to run in a transaction ({@code CREATE INDEX CONCURRENTLY}).</li>
 *   <li>Every transaction first takes {@code pg_advisory_xact_lock} on a key derived from the schema
 *       and then re-reads what is applied, so replicas starting together serialise and exactly one
 *       applies each migration; the others see it applied and move on. A transaction-scoped lock cannot
 *       leak into a pooled connection, unlike a session lock.</li>
 *   <li>The checksum (SHA-256 of the file with line endings normalised to LF, so a Windows checkout
 *       does not differ) of every applied migration is compared with the shipped file; a mismatch fails
 *       start-up: applied migrations are immutable, write a new one instead.</li>
 *   <li>A version applied in the database but unknown to this build is allowed (logged): during a
 *       rolling deploy an older replica must still start against a schema a newer one has migrated.
 *       Migrations are therefore written to be backward compatible (expand, then contract later).</li>
 *   <li>The migration SQL runs with the connection's {@code search_path} set to the schema, so it
 *       names its tables unqualified, exactly as the service's store does.</li>
 * </ul>
 *
 * <h2>Why not Flyway</h2>
 * Flyway would bring a JDBC driver and a blocking connection next to the reactive vertx-pg-client
 * every service already uses: a second driver, a second set of connection settings (and its own
 * parsing of the URL and credentials), and blocking I/O that would have to be pushed off the event loop
 * at start-up. Its value — ordering, checksums, locking, history table — is the hundred lines here,
 * which run on the service's own pool, are non-blocking, and ship nothing else. What we give up
 * (undo, repeatable migrations, Java migrations, many databases) Parley does not need.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern FILE = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

  /** One migration: its version, a description (from the file name) and its SQL. */
  public record Migration(int version, String description, String fileName, String sql, String checksum) {
    /** A migration from a file name {@code V<n>__<description>.sql} and its content. */
    public static Migration of(String fileName, String content) {
      Matcher m = FILE.matcher(fileName);
      if (!m.matches()) {
        throw new IllegalArgumentException("Migration file name '" + fileName
            + "' must look like V<n>__<description>.sql (description: letters, digits, _)");
      }
      String sql = content.replace("\r\n", "\n");
      return new Migration(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), fileName, sql,
          sha256(sql));
    }
  }

  private final String schema;
  private final List<Migration> migrations;

  private Migrations(String schema, List<Migration> migrations) {
    this.schema = requireSchemaName(schema);
    for (int i = 0; i < migrations.size(); i++) {
      Migration migration = migrations.get(i);
      if (migration.version() != i + 1) {
        throw new IllegalArgumentException("Migrations of schema " + schema + " must be numbered 1, 2, 3, ..."
            + " in order; position " + (i + 1) + " holds " + migration.fileName());
      }
    }
    this.migrations = List.copyOf(migrations);
  }

  /** The given migrations, numbered 1..n in order. */
  public static Migrations of(String schema, List<Migration> migrations) {
    return new Migrations(schema, migrations);
  }

  /** Reads {@code db/<schema>/migrations.txt} and the files it lists from the class path. */
  public static Migrations fromClasspath(String schema) {
    return fromClasspath(Migrations.class.getClassLoader(), schema);
  }

  public static Migrations fromClasspath(ClassLoader loader, String schema) {
    requireSchemaName(schema);
    String indexName = "db/" + schema + "/migrations.txt";
    String index = readResource(loader, indexName);
    if (index == null) {
      throw new IllegalStateException("No migration index " + indexName + " on the class path; each"
          + " service lists its db/" + schema + "/V<n>__<description>.sql files there, in order");
    }
    List<Migration> result = new ArrayList<>();
    for (String line : index.split("\n")) {
      String fileName = line.strip();
      if (fileName.isEmpty() || fileName.startsWith("#")) {
        continue;
      }
      String resource = "db/" + schema + "/" + fileName;
      String content = readResource(loader, resource);
      if (content == null) {
        throw new IllegalStateException(indexName + " lists " + fileName + " but " + resource
            + " is not on the class path");
      }
      result.add(Migration.of(fileName, content));
    }
    return new Migrations(schema, result);
  }

  public String schema() {
    return schema;
  }

  public List<Migration> migrations() {
    return migrations;
  }

  /**
   * Brings the schema up to date on {@code pool} (whose connections should have the schema as their
   * {@code search_path}). Completes with the versions this call applied, in order — empty when
   * another replica or an earlier start already did.
   */
  public Future<List<Integer>> migrate(Pool pool) {
    return pool.withTransaction(conn -> lock(conn)
            .compose(v -> createSchemaIfAbsent(conn))
            .compose(v -> createHistoryIfAbsent(conn))
            .compose(v -> applied(conn)))
        .compose(applied -> {
          verify(applied, true);
          List<Integer> appliedNow = new ArrayList<>();
          return applyFrom(pool, 0, appliedNow).map(v -> List.copyOf(appliedNow));
        });
  }

  private Future<Void> applyFrom(Pool pool, int index, List<Integer> appliedNow) {
    if (index == migrations.size()) {
      return Future.succeededFuture();
    }
    Migration migration = migrations.get(index);
    return pool.withTransaction(conn -> lock(conn)
            .compose(v -> applied(conn))
            .compose(applied -> {
              verify(applied, false);
              if (applied.containsKey(migration.version())) {
                return Future.succeededFuture(false);
              }
              return conn.query(migration.sql()).execute()
                  .recover(e -> Future.failedFuture(new IllegalStateException("Migration " + schema + "/"
                      + migration.fileName() + " failed, nothing of it was applied: " + e.getMessage(), e)))
                  .compose(r -> conn.preparedQuery("INSERT INTO " + historyTable()
                          + " (version, description, checksum) VALUES ($1, $2, $3)")
                      .execute(Tuple.of(migration.version(), migration.description(), migration.checksum())))
                  .map(r -> true);
            }))
        .compose(appliedHere -> {
          if (appliedHere) {
            log.info("Applied migration {}/{}", schema, migration.fileName());
            appliedNow.add(migration.version());
          }
          return applyFrom(pool, index + 1, appliedNow);
        });
  }

  private Future<Void> lock(SqlConnection conn) {
    return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(lockKey()))
        .mapEmpty();
  }

  private Future<Void> createSchemaIfAbsent(SqlConnection conn) {
    // Checked first so that a service whose database user may not CREATE still starts when a DBA
    // created the schema for it.
    return conn.preparedQuery("SELECT 1 FROM pg_namespace WHERE nspname = $1")
        .execute(Tuple.of(schema))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture()
            : conn.query("CREATE SCHEMA " + schema).execute().mapEmpty());
  }

  // Checked rather than IF NOT EXISTS, whose NOTICE the client logs as a warning on every start.
  private Future<Void> createHistoryIfAbsent(SqlConnection conn) {
    return conn.preparedQuery("SELECT to_regclass($1) IS NOT NULL AS present")
        .execute(Tuple.of(historyTable()))
        .compose(rows -> rows.iterator().next().getBoolean("present")
            ? Future.succeededFuture()
            : conn.query("CREATE TABLE " + historyTable() + " (version integer PRIMARY KEY,"
                + " description text NOT NULL, checksum text NOT NULL,"
                + " applied_at timestamptz NOT NULL DEFAULT now())").execute().mapEmpty());
  }

  private Future<Map<Integer, String>> applied(SqlConnection conn) {
    return conn.query("SELECT version, checksum FROM " + historyTable() + " ORDER BY version")
        .execute()
        .map(rows -> {
          Map<Integer, String> applied = new HashMap<>();
          for (Row row : rows) {
            applied.put(row.getInteger("version"), row.getString("checksum"));
          }
          return applied;
        });
  }

  private void verify(Map<Integer, String> applied, boolean report) {
    applied.forEach((version, checksum) -> {
      if (version > migrations.size()) {
        if (report) {
          log.warn("Schema {} has migration V{} applied, which this build does not know (a newer build"
              + " migrated it); continuing", schema, version);
        }
        return;
      }
      Migration shipped = migrations.get(version - 1);
      if (!shipped.checksum().equals(checksum)) {
        throw new IllegalStateException("Migration " + schema + "/" + shipped.fileName() + " was changed"
            + " after it was applied (checksum in database " + checksum + ", shipped " + shipped.checksum()
            + "). Applied migrations are immutable: restore the file and add a new migration instead.");
      }
    });
  }

  private String historyTable() {
    return schema + ".schema_migrations";
  }

  /** Same key in every replica; different schemas migrate independently. */
  private long lockKey() {
    byte[] hash = digest("parley.migrations." + schema);
    long key = 0;
    for (int i = 0; i < 8; i++) {
      key = (key << 8) | (hash[i] & 0xff);
    }
    return key;
  }

  /** Schema names are spliced into SQL, so they are restricted to plain lower-case identifiers. */
  static String requireSchemaName(String schema) {
    if (schema == null || !SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("Schema name '" + schema + "' must match " + SCHEMA.pattern());
    }
    return schema;
  }

  private static String readResource(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + name, e);
    }
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(digest(text));
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
