package io.parley.shared.infra;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real PostgreSQL (zonky's Maven-shipped binaries) and a real Redis (codemonstur's) on free loopback
 * ports, for standalone mode and tests, so that neither needs root, Docker or apt (DESIGN §7).
 *
 * <p>Data lives under {@code <dir>/postgres} and {@code <dir>/redis} and survives restarts: PostgreSQL
 * is a normal cluster with fsync on, Redis runs with {@code appendonly yes}. {@link #startTemporary}
 * is the test flavour: a throwaway directory, fsync and the AOF off (faster, nothing to keep), deleted
 * on close.
 *
 * <p>Start-up is made robust against a previous run that was killed (SIGKILL, OOM, container stop):
 * both servers outlive a killed JVM, so a {@code <dir>/parley.lock} file lock first proves that no live
 * Parley process owns the directory, then any server still running on that directory is an orphan and
 * is stopped, and a {@code postmaster.pid} naming a dead or unrelated process is removed (PostgreSQL
 * would otherwise refuse to start when the pid was reused). Orphans are recognised by their working
 * directory ({@code /proc/<pid>/cwd}), which both servers set to their data directory.
 *
 * <p>Running as root: PostgreSQL refuses to run as root, so zonky runs it inside {@code unshare -U}
 * (a user namespace where it appears as {@code nobody} but keeps root's file ownership). That makes any
 * data directory root can write, including {@code /root/.parley/data}, usable. Without user namespaces
 * start-up fails with a message saying so.
 *
 * <p>{@link #close()} stops both; a JVM shutdown hook does the same as a backstop.
 */
public final class EmbeddedServers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

  /** Database created for Parley's schemas; {@code postgres} stays the admin database. */
  public static final String DATABASE = "parley";
  public static final String SUPERUSER = "postgres";
  /** Redis' own default; tests ask for more (one logical database per test class). */
  public static final int DEFAULT_REDIS_DATABASES = 16;

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final boolean temporary;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final EmbeddedPostgres postgres;
  private final RedisServer redis;
  private final int redisPort;
  private final int redisDatabases;
  private final Duration postgresStartTime;
  private final Duration redisStartTime;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;

  private EmbeddedServers(Path dataDir, boolean temporary, int redisDatabases) throws IOException {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.temporary = temporary;
    this.redisDatabases = redisDatabases;
    Files.createDirectories(this.dataDir);
    requireUserNamespacesWhenRoot();

    Path lockFile = this.dataDir.resolve("parley.lock");
    this.lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null;
    }
    if (acquired == null) {
      lockChannel.close();
      throw new IllegalStateException("Data directory " + this.dataDir + " is in use by another Parley"
          + " process (lock " + lockFile + "). Stop it, or set PARLEY_DATA_DIR to another directory.");
    }
    this.lock = acquired;

    EmbeddedPostgres startedPostgres = null;
    try {
      Path pgData = this.dataDir.resolve("postgres");
      Path redisDir = this.dataDir.resolve("redis");
      stopOrphan("PostgreSQL", pgData, pgData.resolve("postmaster.pid"));
      stopOrphan("Redis", redisDir, redisDir.resolve("redis.pid"));

      long t0 = System.nanoTime();
      startedPostgres = startPostgres(pgData, temporary);
      createDatabaseIfAbsent(startedPostgres.getPort(), DATABASE);
      this.postgresStartTime = Duration.ofNanos(System.nanoTime() - t0);
      this.postgres = startedPostgres;

      long t1 = System.nanoTime();
      this.redisPort = freePort();
      this.redis = startRedis(redisDir, redisPort, redisDatabases, temporary);
      this.redisStartTime = Duration.ofNanos(System.nanoTime() - t1);
    } catch (IOException | RuntimeException e) {
      closeQuietly(startedPostgres);
      releaseLock(acquired, lockChannel);
      throw e;
    }
    log.info("Embedded PostgreSQL on port {} ({} ms), Redis on port {} ({} ms), data in {}",
        postgres.getPort(), postgresStartTime.toMillis(), redisPort, redisStartTime.toMillis(), this.dataDir);
    this.shutdownHook = new Thread(this::close, "parley-embedded-servers-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Durable servers with data under {@code dataDir}, kept across restarts (standalone mode). */
  public static EmbeddedServers start(Path dataDir) {
    return start(dataDir, DEFAULT_REDIS_DATABASES);
  }

  /** As {@link #start(Path)} with {@code redisDatabases} logical Redis databases. */
  public static EmbeddedServers start(Path dataDir, int redisDatabases) {
    try {
      return new EmbeddedServers(dataDir, false, redisDatabases);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL/Redis in " + dataDir, e);
    }
  }

  /**
   * Throwaway servers for tests: a fresh temp directory, no fsync, no AOF, deleted on close.
   * {@code redisDatabases} bounds how many Redis logical databases can be handed out.
   */
  public static EmbeddedServers startTemporary(int redisDatabases) {
    Path dir;
    try {
      dir = Files.createTempDirectory("parley-embedded-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return new EmbeddedServers(dir, true, redisDatabases);
    } catch (IOException e) {
      deleteRecursively(dir);
      throw new UncheckedIOException("Could not start embedded PostgreSQL/Redis in " + dir, e);
    } catch (RuntimeException e) {
      deleteRecursively(dir);
      throw e;
    }
  }

  /** {@code postgresql://postgres@127.0.0.1:<port>/parley}, as read by {@code PgConnectOptions.fromUri}. */
  public String postgresUrl() {
    return postgresUrl(DATABASE);
  }

  /** A URL for another database of the same server ({@code postgres} is the admin database). */
  public String postgresUrl(String database) {
    return "postgresql://" + SUPERUSER + "@" + LOOPBACK + ":" + postgres.getPort() + "/" + database;
  }

  public int postgresPort() {
    return postgres.getPort();
  }

  /** {@code redis://127.0.0.1:<port>/0}. */
  public String redisUrl() {
    return redisUrl(0);
  }

  /** The URL selecting logical database {@code index} (0 ≤ index &lt; {@link #redisDatabases()}). */
  public String redisUrl(int index) {
    if (index < 0 || index >= redisDatabases) {
      throw new IllegalArgumentException("Redis database index " + index + " outside 0.." + (redisDatabases - 1));
    }
    return "redis://" + LOOPBACK + ":" + redisPort + "/" + index;
  }

  /**
   * {@code config} with {@code PG_URL} and {@code REDIS_URL} pointing at these servers where they are
   * empty; a configured URL always wins (DESIGN §7). This is what standalone mode hands its services.
   */
  public ParleyConfig fillIn(ParleyConfig config) {
    ParleyConfig result = config;
    if (config.optional(ConfigKey.PG_URL).isEmpty()) {
      result = result.with(ConfigKey.PG_URL, postgresUrl());
    }
    if (config.optional(ConfigKey.REDIS_URL).isEmpty()) {
      result = result.with(ConfigKey.REDIS_URL, redisUrl());
    }
    return result;
  }

  public int redisDatabases() {
    return redisDatabases;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Time to start PostgreSQL (including initdb on a fresh directory) and create the database. */
  public Duration postgresStartTime() {
    return postgresStartTime;
  }

  public Duration redisStartTime() {
    return redisStartTime;
  }

  /** A JDBC connection as superuser, for admin work in blocking contexts (creating test databases). */
  public Connection adminConnection(String database) throws SQLException {
    return jdbc(postgres.getPort(), database);
  }

  /** Stops Redis, then PostgreSQL (both gracefully), and releases the data directory. Idempotent. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      redis.stop();
    } catch (IOException | RuntimeException e) {
      log.warn("Could not stop embedded Redis: {}", e.toString());
    }
    closeQuietly(postgres);
    releaseLock(lock, lockChannel);
    if (temporary) {
      deleteRecursively(dataDir);
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or about to; close() is idempotent
      }
    }
  }

  private static EmbeddedPostgres startPostgres(Path pgData, boolean temporary) throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        // Ours stops it and only then deletes a temporary directory; zonky's own hook would race
        // with that deletion (close() returns at once when the other hook is mid-stop).
        .setRegisterShutdownHook(false)
        .setPort(freePort())
        .setPGStartupWait(Duration.ofSeconds(60))
        // The system locale may not exist in a minimal container; C is always there and UTF-8 is
        // the encoding zonky passes to initdb.
        .setLocaleConfig("locale", "C")
        .setServerConfig("listen_addresses", LOOPBACK);
    if (temporary) {
      builder.setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off");
    } else {
      // zonky passes -F (fsync off) and synchronous_commit=off for speed; a standalone server
      // acknowledges messages only after commit, so the commit must reach the disk.
      builder.setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on");
    }
    return builder.start();
  }

  private static RedisServer startRedis(Path redisDir, int port, int databases, boolean temporary)
      throws IOException {
    Files.createDirectories(redisDir);
    RedisServer server = RedisServer.newRedisServer()
        .port(port)
        .bind(LOOPBACK)
        .setting("dir " + quote(redisDir))
        .setting("pidfile " + quote(redisDir.resolve("redis.pid")))
        .setting("databases " + databases)
        .setting("appendonly " + (temporary ? "no" : "yes"))
        .setting("save \"\"")
        .build();
    server.start();
    return server;
  }

  private static void createDatabaseIfAbsent(int port, String database) throws IOException {
    try (Connection c = jdbc(port, "postgres");
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE \"" + database + "\"");
      }
    } catch (SQLException e) {
      throw new IOException("Could not create database " + database, e);
    }
  }

  private static Connection jdbc(int port, String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + LOOPBACK + ":" + port + "/" + database + "?user=" + SUPERUSER);
  }

  /**
   * Stops a server left running on {@code dir} by a killed run, or removes its stale pid file.
   * Safe only while holding the data directory lock: then no live Parley process owns that server.
   */
  private static void stopOrphan(String what, Path dir, Path pidFile) throws IOException {
    Optional<Long> pid = readPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> orphan = ProcessHandle.of(pid.get())
        .filter(ProcessHandle::isAlive)
        .filter(p -> runsIn(p, dir));
    if (orphan.isEmpty()) {
      log.info("Removing stale {} pid file {} (process {} is not a server of this directory)", what,
          pidFile, pid.get());
      Files.deleteIfExists(pidFile);
      return;
    }
    ProcessHandle process = orphan.get();
    log.warn("Stopping orphaned {} (pid {}) left running on {} by a previous run", what, process.pid(), dir);
    // SIGTERM: a smart shutdown for PostgreSQL, a clean AOF flush for Redis.
    process.destroy();
    try {
      process.onExit().get(ORPHAN_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception notYet) {
      log.warn("{} (pid {}) did not stop in {} s; killing it", what, process.pid(), ORPHAN_STOP_TIMEOUT.toSeconds());
      process.destroyForcibly();
      try {
        process.onExit().get(ORPHAN_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new IOException("Could not stop orphaned " + what + " (pid " + process.pid() + ") on " + dir, e);
      }
    }
    // A killed PostgreSQL leaves its pid file behind; it would name a dead process from now on.
    Files.deleteIfExists(pidFile);
  }

  private static Optional<Long> readPid(Path pidFile) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NumberFormatException e) {
      Files.deleteIfExists(pidFile);
      return Optional.empty();
    }
  }

  /** Both servers chdir into their data directory, so the working directory identifies them. */
  private static boolean runsIn(ProcessHandle process, Path dir) {
    try {
      Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
      return cwd.normalize().equals(dir.toRealPath());
    } catch (IOException | UnsupportedOperationException e) {
      // No /proc (macOS): fall back to the executable's name.
      String command = process.info().command().orElse("");
      return command.endsWith("postgres") || command.contains("redis-server");
    }
  }

  private static void requireUserNamespacesWhenRoot() {
    if (isRoot() && !LinuxUtils.isUnshareAvailable()) {
      throw new IllegalStateException("Running as root, and PostgreSQL refuses to run as root: the embedded"
          + " server needs user namespaces ('unshare -U') to drop root, and they are unavailable here."
          + " Run Parley as an ordinary user, or set PARLEY_PG_URL to an external PostgreSQL.");
    }
  }

  private static boolean isRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (RuntimeException | LinkageError e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static String quote(Path path) {
    return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    if (postgres == null) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException | RuntimeException e) {
      log.warn("Could not stop embedded PostgreSQL: {}", e.toString());
    }
  }

  private static void releaseLock(FileLock lock, FileChannel channel) {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("Could not close {}: {}", channel, e.toString());
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          log.debug("Could not delete {}: {}", p, e.toString());
        }
      });
    } catch (IOException | UncheckedIOException e) {
      log.debug("Could not delete {}: {}", dir, e.toString());
    }
  }
}
