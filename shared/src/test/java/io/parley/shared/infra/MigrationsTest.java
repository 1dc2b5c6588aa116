package io.parley.shared.infra;

import static io.parley.testing.Futures.await;
import static io.parley.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Migrations.Migration;
import io.parley.testing.MigrationIndex;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each test migrates its own schema in this class's database, so the tests are independent. */
class MigrationsTest {
  private static Vertx vertx;
  private static ParleyConfig config;
  private static final List<Pool> pools = new ArrayList<>();

  private static final Migration V1 = Migration.of("V1__create_notes.sql",
      "CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);\n");
  private static final Migration V2 = Migration.of("V2__add_author.sql",
      "ALTER TABLE notes ADD COLUMN author text;\nCREATE INDEX notes_author ON notes (author);\n");
  private static final Migration V3 = Migration.of("V3__seed_note.sql",
      "INSERT INTO notes (id, body, author) VALUES (1, 'hello', 'ada');\n");

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    config = TestInfra.config(MigrationsTest.class.getSimpleName());
  }

  @AfterAll
  static void stop() {
    pools.forEach(Pool::close);
    await(vertx.close());
  }

  private static Pool pool(String schema) {
    Pool pool = ParleyInfra.pgPool(vertx, config.with(ConfigKey.PG_POOL_SIZE, 2), schema);
    pools.add(pool);
    return pool;
  }

  private static List<Row> history(Pool pool, String schema) {
    List<Row> rows = new ArrayList<>();
    await(pool.query("SELECT version, description, checksum FROM " + schema
        + ".schema_migrations ORDER BY version").execute()).forEach(rows::add);
    return rows;
  }

  @Test
  void appliesPendingMigrationsInOrderWithUnqualifiedSql() {
    Pool pool = pool("ordered");
    List<Integer> applied = await(Migrations.of("ordered", List.of(V1, V2, V3)).migrate(pool));

    assertThat(applied).containsExactly(1, 2, 3);
    assertThat(history(pool, "ordered")).extracting(r -> r.getInteger("version") + " " + r.getString("description"))
        .containsExactly("1 create notes", "2 add author", "3 seed note");
    // The table landed in the service's schema, not in public.
    Row note = await(pool.query("SELECT author FROM ordered.notes WHERE id = 1").execute()).iterator().next();
    assertThat(note.getString("author")).isEqualTo("ada");
  }

  @Test
  void secondRunAppliesNothingAndLaterMigrationsAreAddedOnTop() {
    Pool pool = pool("idempotent");
    await(Migrations.of("idempotent", List.of(V1, V2)).migrate(pool));

    assertThat(await(Migrations.of("idempotent", List.of(V1, V2)).migrate(pool))).isEmpty();
    assertThat(await(Migrations.of("idempotent", List.of(V1, V2, V3)).migrate(pool))).containsExactly(3);
    assertThat(history(pool, "idempotent")).hasSize(3);
  }

  @Test
  void anAppliedMigrationThatWasEditedFailsStartUp() {
    Pool pool = pool("edited");
    await(Migrations.of("edited", List.of(V1)).migrate(pool));
    Migration editedV1 = Migration.of("V1__create_notes.sql",
        "CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);\n");

    Throwable failure = awaitFailure(Migrations.of("edited", List.of(editedV1, V2)).migrate(pool));

    assertThat(failure).hasMessageContaining("edited/V1__create_notes.sql was changed after it was applied");
    assertThat(history(pool, "edited")).hasSize(1);
  }

  @Test
  void lineEndingsDoNotChangeTheChecksum() {
    Migration crlf = Migration.of("V1__create_notes.sql",
        "CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL);\r\n");
    assertThat(crlf.checksum()).isEqualTo(V1.checksum());
  }

  @Test
  void replicasStartingTogetherApplyEachMigrationExactlyOnce() {
    // Separate pools: separate sessions, as separate replicas would have.
    Pool replicaA = pool("concurrent");
    Pool replicaB = pool("concurrent");
    Migration counter = Migration.of("V3__count_runs.sql",
        "CREATE TABLE runs (n integer); INSERT INTO runs VALUES (1);");
    Migrations migrations = Migrations.of("concurrent", List.of(V1, V2, counter));

    Future<List<Integer>> a = migrations.migrate(replicaA);
    Future<List<Integer>> b = migrations.migrate(replicaB);
    await(Future.all(a, b));

    List<Integer> all = new ArrayList<>(a.result());
    all.addAll(b.result());
    assertThat(all).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(history(replicaA, "concurrent")).hasSize(3);
    Row runs = await(replicaA.query("SELECT count(*) AS n FROM concurrent.runs").execute()).iterator().next();
    assertThat(runs.getLong("n")).isEqualTo(1L);
  }

  @Test
  void aFailingMigrationLeavesNoTraceAndIsRetriedOnTheNextStart() {
    Pool pool = pool("failing");
    Migration broken = Migration.of("V2__half_done.sql",
        "CREATE TABLE half (a integer);\nINSERT INTO half VALUES (1);\nSELECT 1 / 0;\n");

    Throwable failure = awaitFailure(Migrations.of("failing", List.of(V1, broken)).migrate(pool));

    assertThat(failure).hasMessageContaining("failing/V2__half_done.sql failed").hasMessageContaining("division by zero");
    assertThat(history(pool, "failing")).extracting(r -> r.getInteger("version")).containsExactly(1);
    Row half = await(pool.query("SELECT to_regclass('failing.half') IS NULL AS absent").execute()).iterator().next();
    assertThat(half.getBoolean("absent")).isTrue();

    Migration fixed = Migration.of("V2__half_done.sql", "CREATE TABLE half (a integer);\n");
    assertThat(await(Migrations.of("failing", List.of(V1, fixed)).migrate(pool))).containsExactly(2);
  }

  @Test
  void aVersionAppliedByANewerBuildDoesNotStopAnOlderOne() {
    Pool pool = pool("rolling");
    await(Migrations.of("rolling", List.of(V1, V2)).migrate(pool));

    assertThat(await(Migrations.of("rolling", List.of(V1)).migrate(pool))).isEmpty();
  }

  @Test
  void migrationsAreFoundThroughTheIndexInsideAJar(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("service.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      put(out, "db/jarred/migrations.txt", "# applied in this order\nV1__create_notes.sql\n\nV2__add_author.sql\n");
      put(out, "db/jarred/V1__create_notes.sql", V1.sql());
      put(out, "db/jarred/V2__add_author.sql", V2.sql());
      put(out, "db/jarred/V3__not_listed.sql", "SELECT 1;");
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      Migrations migrations = Migrations.fromClasspath(loader, "jarred");

      assertThat(migrations.migrations()).extracting(Migration::fileName)
          .containsExactly("V1__create_notes.sql", "V2__add_author.sql");
      assertThat(migrations.migrations().get(1).checksum()).isEqualTo(V2.checksum());
    }
  }

  @Test
  void indexMistakesAreReportedByName(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("broken.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      put(out, "db/missing/migrations.txt", "V1__create_notes.sql\n");
      put(out, "db/gap/migrations.txt", "V1__create_notes.sql\nV3__seed_note.sql\n");
      put(out, "db/gap/V1__create_notes.sql", V1.sql());
      put(out, "db/gap/V3__seed_note.sql", V3.sql());
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> Migrations.fromClasspath(loader, "missing"))
          .hasMessageContaining("db/missing/migrations.txt lists V1__create_notes.sql");
      assertThatThrownBy(() -> Migrations.fromClasspath(loader, "gap"))
          .hasMessageContaining("position 2 holds V3__seed_note.sql");
      assertThatThrownBy(() -> Migrations.fromClasspath(loader, "absent"))
          .hasMessageContaining("No migration index db/absent/migrations.txt");
    }
    assertThatThrownBy(() -> Migration.of("V1-create.sql", "")).hasMessageContaining("V<n>__<description>.sql");
    assertThatThrownBy(() -> Migrations.of("Auth; DROP", List.of())).hasMessageContaining("Schema name");
  }

  @Test
  void aMigrationFileMissingFromTheIndexIsCaught(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("V1__create_notes.sql"), V1.sql());
    Files.writeString(dir.resolve("V2__add_author.sql"), V2.sql());

    MigrationIndex.assertComplete(dir, Migrations.of("notes", List.of(V1, V2)));
    assertThatThrownBy(() -> MigrationIndex.assertComplete(dir, Migrations.of("notes", List.of(V1))))
        .hasMessageContaining("db/notes/migrations.txt lists [V1__create_notes.sql]");
  }

  private static void put(JarOutputStream out, String name, String content) throws Exception {
    out.putNextEntry(new JarEntry(name));
    OutputStream stream = out;
    stream.write(content.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }
}
