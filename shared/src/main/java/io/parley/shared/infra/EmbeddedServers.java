package io.parley.shared.infra;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Supervision: a server process that dies (OOM killer, a crash, a stray {@code kill -9}) is
 * restarted on the same port and data directory, with backoff ({@value #FIRST_BACKOFF_MS} ms doubling
 * to {@value #MAX_BACKOFF_MS} ms between attempts), so the services' pools reconnect by themselves and
 * nobody restarts Parley by hand. Each death and restart is logged once; {@link #describe()} and
 * {@link #bindTo} show it in health and metrics. PostgreSQL replays its WAL on restart (fsync on: no
 * acknowledged write is lost); Redis replays its append-only file.
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
  /** How often the supervisor looks for a dead server: an outage costs at most this much extra. */
  static final long SUPERVISE_INTERVAL_MS = 250;
  /**
   * Wait after a failed restart attempt (the first is made at once), doubled after each further
   * failure. A killed postmaster's backends take a moment to exit, and a new one cannot start before;
   * a broken data directory should not make the supervisor spin.
   */
  static final long FIRST_BACKOFF_MS = 250;
  static final long MAX_BACKOFF_MS = 10_000;

  private final Path dataDir;
  private final boolean temporary;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Path pgData;
  private final Path redisDir;
  private volatile EmbeddedPostgres postgres;
  private volatile RedisServer redis;
  private final int postgresPort;
  private final int redisPort;
  private final Supervised supervisedPostgres;
  private final Supervised supervisedRedis;
  private final ScheduledExecutorService supervisor;
  private final AtomicInteger holds = new AtomicInteger();
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
    this.pgData = this.dataDir.resolve("postgres");
    this.redisDir = this.dataDir.resolve("redis");
    try {
      stopOrphan("PostgreSQL", pgData, pgData.resolve("postmaster.pid"));
      stopOrphan("Redis", redisDir, redisDir.resolve("redis.pid"));

      long t0 = System.nanoTime();
      startedPostgres = startPostgres(pgData, freePort(), temporary);
      createDatabaseIfAbsent(startedPostgres.getPort(), DATABASE);
      this.postgresStartTime = Duration.ofNanos(System.nanoTime() - t0);
      this.postgres = startedPostgres;
      this.postgresPort = startedPostgres.getPort();

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
        postgresPort, postgresStartTime.toMillis(), redisPort, redisStartTime.toMillis(), this.dataDir);
    this.supervisedPostgres = new Supervised("PostgreSQL", Dependencies.POSTGRES, pgData.resolve("postmaster.pid"),
        this::restartPostgres);
    this.supervisedRedis = new Supervised("Redis", Dependencies.REDIS, redisDir.resolve("redis.pid"), this::restartRedis);
    this.supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "parley-embedded-supervisor");
      thread.setDaemon(true);
      return thread;
    });
    supervisor.scheduleWithFixedDelay(this::supervise, SUPERVISE_INTERVAL_MS, SUPERVISE_INTERVAL_MS, TimeUnit.MILLISECONDS);
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
    return "postgresql://" + SUPERUSER + "@" + LOOPBACK + ":" + postgresPort + "/" + database;
  }

  public int postgresPort() {
    return postgresPort;
  }

  /** The process id of the running PostgreSQL server (its postmaster); empty while it is down. */
  public Optional<Long> postgresPid() {
    return supervisedPostgres.livePid();
  }

  /** The process id of the running Redis server; empty while it is down. */
  public Optional<Long> redisPid() {
    return supervisedRedis.livePid();
  }

  /**
   * {@code {"embedded": {"postgres": {"state": "up", "restarts": 1}, "redis": {...}}}}; {@code state}
   * is {@code up} or {@code restarting}. Standalone adds it to {@code /health/ready}.
   */
  public JsonObject describe() {
    return new JsonObject().put("embedded", new JsonObject()
        .put(supervisedPostgres.name, supervisedPostgres.describe())
        .put(supervisedRedis.name, supervisedRedis.describe()));
  }

  /**
   * Holds restarts until the returned handle is closed: a server that dies meanwhile stays down (it
   * is still noticed, logged and shown as {@code restarting}). For maintenance on the data directory,
   * and for fault tests that need an outage to last until they have looked at it.
   */
  public AutoCloseable holdRestarts() {
    holds.incrementAndGet();
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        holds.decrementAndGet();
      }
    };
  }

  /**
   * Publishes {@code parley_embedded_server_up{name}} and {@code parley_embedded_server_restarts_total{name}}.
   */
  public void bindTo(MeterRegistry registry) {
    for (Supervised server : List.of(supervisedPostgres, supervisedRedis)) {
      Gauge.builder("parley.embedded.server.up", server, s -> s.restarting ? 0 : 1)
          .description("1 while the embedded server runs, 0 while the supervisor restarts it")
          .tag("name", server.name)
          .register(registry);
      FunctionCounter.builder("parley.embedded.server.restarts", server, s -> s.restarts.get())
          .description("restarts of the embedded server after its process died")
          .tag("name", server.name)
          .register(registry);
    }
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
    return jdbc(postgresPort, database);
  }

  /** Stops Redis, then PostgreSQL (both gracefully), and releases the data directory. Idempotent. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    supervisor.shutdownNow();
    try {
      // A restart in progress finishes first, so the server it starts is stopped below.
      supervisor.awaitTermination(ORPHAN_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  private void supervise() {
    if (closed.get()) {
      return;
    }
    // An exception escaping would end the schedule, and with it all supervision.
    for (Supervised server : List.of(supervisedPostgres, supervisedRedis)) {
      try {
        server.check();
      } catch (RuntimeException | Error e) {
        log.error("Supervising embedded {} failed; will look again", server.display, e);
      }
    }
  }

  /**
   * Called with the old postmaster dead. Its backends notice that and exit within moments; until
   * they have, the old shared memory is in use and a new postmaster would refuse to start, so this
   * attempt fails and the next one (after backoff) succeeds.
   */
  private void restartPostgres() throws IOException {
    if (ProcessHandle.allProcesses().anyMatch(p -> p.isAlive() && runsIn(p, pgData))) {
      throw new IOException("processes of the previous server still run on " + pgData);
    }
    // The dead server's EmbeddedPostgres is dropped, not closed: its close() would run pg_ctl stop,
    // which fails (nothing runs) and is logged at ERROR with a stack trace. Its lock on epg-lock is
    // released when the collector cleans its stream up; the file is deleted so the new server locks
    // a new one (an attempt that failed midway leaves its lock behind the same way). A pid file naming
    // a dead process could name a live one later (pid reuse); our parley.lock proves no other server
    // owns this directory.
    Files.deleteIfExists(pgData.resolve("postmaster.pid"));
    Files.deleteIfExists(pgData.resolve("epg-lock"));
    postgres = startPostgres(pgData, postgresPort, temporary);
  }

  private void restartRedis() throws IOException {
    try {
      redis.stop();
    } catch (IOException | RuntimeException e) {
      log.debug("Stopping the dead Redis: {}", e.toString());
    }
    redis = startRedis(redisDir, redisPort, redisDatabases, temporary);
  }

  /** Whether a process that died is being restarted, how often it was. Touched by the supervisor thread. */
  private final class Supervised {
    final String display;
    final String name;
    final Path pidFile;
    final Restart restart;
    final AtomicInteger restarts = new AtomicInteger();
    volatile boolean restarting;
    volatile Long pid;
    private long diedAtNanos;
    private long backoffMs;
    private long nextAttemptNanos;
    private int attempts;

    Supervised(String display, String name, Path pidFile, Restart restart) {
      this.display = display;
      this.name = name;
      this.pidFile = pidFile;
      this.restart = restart;
      this.pid = readPidQuietly();
    }

    /** Empty until the server has written its pid file. */
    Long readPidQuietly() {
      try {
        return readPid(pidFile).orElse(null);
      } catch (IOException e) {
        return null;
      }
    }

    Optional<Long> livePid() {
      Long current = pid;
      return restarting || current == null ? Optional.empty() : Optional.of(current);
    }

    JsonObject describe() {
      return new JsonObject().put("state", restarting ? "restarting" : "up").put("restarts", restarts.get());
    }

    void check() {
      if (!restarting) {
        Long current = pid;
        if (current == null) {
          current = readPidQuietly();
          pid = current;
        }
        if (current == null || isRunning(current)) {
          return;
        }
        restarting = true;
        diedAtNanos = System.nanoTime();
        backoffMs = FIRST_BACKOFF_MS;
        nextAttemptNanos = diedAtNanos;
        attempts = 0;
        log.warn("Embedded {} (pid {}) died; restarting it on the same port and data directory", display, current);
      }
      if (System.nanoTime() - nextAttemptNanos < 0 || closed.get() || holds.get() > 0) {
        return;
      }
      attempts++;
      try {
        restart.run();
        pid = readPidQuietly();
        restarts.incrementAndGet();
        restarting = false;
        log.info("Embedded {} restarted (pid {}), {} ms after it died, attempt {}", display, pid,
            Duration.ofNanos(System.nanoTime() - diedAtNanos).toMillis(), attempts);
      } catch (IOException | RuntimeException e) {
        log.warn("Embedded {} restart attempt {} failed, next in {} ms: {}", display, attempts, backoffMs, e.toString());
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * Alive and not a zombie. A killed postmaster was reparented to PID 1 when pg_ctl exited; until
   * PID 1 reaps it (in a container that can take a second) {@link ProcessHandle#isAlive} still says
   * yes, though the server is gone.
   */
  private static boolean isRunning(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int afterName = stat.lastIndexOf(") ");
      return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
    } catch (IOException | UnsupportedOperationException e) {
      // No /proc (macOS), or it exited between the two looks: isAlive's answer stands.
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  @FunctionalInterface
  private interface Restart {
    void run() throws IOException;
  }

  private static EmbeddedPostgres startPostgres(Path pgData, int port, boolean temporary) throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        // Ours stops it and only then deletes a temporary directory; zonky's own hook would race
        // with that deletion (close() returns at once when the other hook is mid-stop).
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(60))
        // The system locale may not exist in a minimal container; C is always there and UTF-8 is
        // the encoding zonky passes to initdb.
        .setLocaleConfig("locale", "C")
        .setServerConfig("listen_addresses", LOOPBACK)
        // No Unix socket: everyone connects over loopback TCP, and the socket's lock file
        // (/tmp/.s.PGSQL.<port>.lock) outlives a killed postmaster. It names the dead postmaster's pid,
        // which stays "alive" as a zombie until PID 1 reaps it (a container's init can take a minute),
        // so the restarted server refused to start ("lock file already exists") and zonky waited out
        // its whole start-up wait for it: 63-66 s outages instead of 3-5 s (docs/reliability.md).
        .setServerConfig("unix_socket_directories", "");
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
