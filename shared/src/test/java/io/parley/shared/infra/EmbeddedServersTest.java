package io.parley.shared.infra;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Migrations.Migration;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable mode, in a directory under the user's home: as root that is {@code /root} (mode 700), the
 * case of standalone's default {@code ~/.parley/data}.
 */
class EmbeddedServersTest {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServersTest.class);

  private Path dir;

  @BeforeEach
  void createDirectory() throws IOException {
    dir = Path.of(System.getProperty("user.home"), ".parley-test-" + UUID.randomUUID());
    Files.createDirectories(dir);
  }

  @AfterEach
  void deleteDirectory() {
    EmbeddedServers.deleteRecursively(dir);
  }

  @Test
  void dataSurvivesARestartAndCommitsReachTheDisk() throws Exception {
    try (EmbeddedServers servers = EmbeddedServers.start(dir)) {
      log.info("Cold start (initdb) {} ms, Redis {} ms",
          servers.postgresStartTime().toMillis(), servers.redisStartTime().toMillis());
      PgConnectOptions parsed = PgConnectOptions.fromUri(servers.postgresUrl());
      assertThat(parsed.getDatabase()).isEqualTo("parley");
      assertThat(parsed.getPort()).isEqualTo(servers.postgresPort());
      assertThat(sql(servers, "SHOW fsync")).isEqualTo("on");
      assertThat(sql(servers, "SHOW synchronous_commit")).isEqualTo("on");
      sql(servers, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('across restarts')");
      redis(servers, "SET", "kept", "across restarts");
    }
    try (EmbeddedServers servers = EmbeddedServers.start(dir)) {
      log.info("Warm start {} ms, Redis {} ms",
          servers.postgresStartTime().toMillis(), servers.redisStartTime().toMillis());
      assertThat(sql(servers, "SELECT v FROM kept")).isEqualTo("across restarts");
      assertThat(redis(servers, "GET", "kept")).isEqualTo("across restarts");
      assertAServiceStartsOnIt(servers);
    }
    assertThat(dir.resolve("postgres/PG_VERSION")).exists();
    assertThat(dir.resolve("redis/appendonly.aof")).exists();
  }

  @Test
  void aStalePidFileNamingAnotherLiveProcessDoesNotBlockStart() throws Exception {
    EmbeddedServers.start(dir).close();
    // A killed postmaster's pid reused by an unrelated live process: PostgreSQL alone would refuse.
    Files.writeString(dir.resolve("postgres/postmaster.pid"),
        ProcessHandle.current().pid() + "\n" + dir.resolve("postgres") + "\n");
    Files.writeString(dir.resolve("redis/redis.pid"), ProcessHandle.current().pid() + "\n");

    try (EmbeddedServers servers = EmbeddedServers.start(dir)) {
      assertThat(sql(servers, "SELECT 'up'")).isEqualTo("up");
    }
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  /**
   * Issue 13's 63-66 s PostgreSQL outages: a killed postmaster left its Unix socket's lock file in
   * /tmp naming its pid, which lingered as a zombie, so each restart attempt refused to start ("lock
   * file already exists") and waited out zonky's 60 s start-up wait. Here a live process stands in for
   * the zombie; with no Unix socket the lock file is never consulted.
   */
  @Test
  void aKilledPostgresIsRestartedWhileASocketLockNamesALiveProcess() throws Exception {
    Process standInForTheZombie = new ProcessBuilder("sleep", "600").start();
    Path socketLock = null;
    try (EmbeddedServers servers = EmbeddedServers.start(dir)) {
      assertThat(sql(servers, "SHOW unix_socket_directories")).isEmpty();
      socketLock = Path.of("/tmp", ".s.PGSQL." + servers.postgresPort() + ".lock");
      assertThat(socketLock).doesNotExist();
      long postmaster = servers.postgresPid().orElseThrow();
      Files.writeString(socketLock, standInForTheZombie.pid() + "\n");

      ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline && !servers.postgresPid().filter(pid -> pid != postmaster).isPresent()) {
        Thread.sleep(POLL_INTERVAL_MS);
      }
      assertThat(servers.postgresPid()).as("a new postmaster").isPresent().get().isNotEqualTo(postmaster);
      assertThat(sql(servers, "SELECT 'up again'")).isEqualTo("up again");
      assertThat(servers.describe().getJsonObject("embedded").getJsonObject("postgres").getInteger("restarts")).isEqualTo(1);
    } finally {
      if (socketLock != null) {
        Files.deleteIfExists(socketLock);
      }
      standInForTheZombie.destroyForcibly();
      standInForTheZombie.waitFor();
    }
  }

  /** Between two looks at the supervisor's state: a pace for polling, not a wait for something to happen. */
  private static final long POLL_INTERVAL_MS = 50;

  @Test
  void aRunKilledWithItsServersStillRunningDoesNotBlockTheNextStart() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), EmbeddedServersChild.class.getName(), dir.toString())
        .redirectErrorStream(true)
        .start();
    try {
      awaitReady(child);
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
    long orphanPostgres = firstLineAsPid(dir.resolve("postgres/postmaster.pid"));
    long orphanRedis = firstLineAsPid(dir.resolve("redis/redis.pid"));
    assertThat(ProcessHandle.of(orphanPostgres).map(ProcessHandle::isAlive)).contains(true);
    assertThat(ProcessHandle.of(orphanRedis).map(ProcessHandle::isAlive)).contains(true);
    // The killed JVM could not delete the temp directory it had unpacked redis-server into.
    Optional<Path> orphanRedisBinaries = ProcessHandle.of(orphanRedis)
        .flatMap(p -> p.info().command()).map(command -> Path.of(command).getParent());

    try (EmbeddedServers servers = EmbeddedServers.start(dir)) {
      assertThat(sql(servers, "SELECT name FROM survivors")).isEqualTo("before the kill");
      assertThat(redis(servers, "GET", "survivor")).isEqualTo("before the kill");
    }
    assertThat(ProcessHandle.of(orphanPostgres).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(ProcessHandle.of(orphanRedis).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    orphanRedisBinaries.filter(p -> p.getFileName().toString().startsWith("redis-"))
        .ifPresent(EmbeddedServers::deleteRecursively);
  }

  @Test
  void aDirectoryInUseIsRefusedAndATemporaryOneIsDeleted() {
    Path temporary;
    try (EmbeddedServers servers = EmbeddedServers.startTemporary(4)) {
      assertThatThrownBy(() -> EmbeddedServers.start(servers.dataDir()))
          .hasMessageContaining("is in use by another Parley process");
      assertThat(servers.redisUrl(3)).endsWith("/3");
      assertThatThrownBy(() -> servers.redisUrl(4)).isInstanceOf(IllegalArgumentException.class);
      temporary = servers.dataDir();
    }
    assertThat(temporary).doesNotExist();
  }

  /** What standalone mode does: fill in the URLs, open a service's storage, check readiness. */
  private static void assertAServiceStartsOnIt(EmbeddedServers servers) {
    ParleyConfig config = servers.fillIn(ParleyConfig.defaults());
    assertThat(config.get(ConfigKey.PG_URL)).isEqualTo(servers.postgresUrl());
    assertThat(servers.fillIn(ParleyConfig.defaults().with(ConfigKey.REDIS_URL, "redis://elsewhere:6379/2"))
        .get(ConfigKey.REDIS_URL)).isEqualTo("redis://elsewhere:6379/2");
    Vertx vertx = Vertx.vertx();
    try {
      Migrations message = Migrations.of("message", List.of(
          Migration.of("V1__create_events.sql", "CREATE TABLE events (id bigint PRIMARY KEY);")));
      ServiceResources resources = await(ParleyInfra.open(vertx, config, message));
      await(resources.ping());
      await(resources.close());
    } finally {
      await(vertx.close());
    }
  }

  private static void awaitReady(Process child) throws IOException {
    List<String> output = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String line;
    while ((line = reader.readLine()) != null && System.nanoTime() < deadline) {
      if (line.equals("READY")) {
        return;
      }
      output.add(line);
    }
    throw new AssertionError("Child JVM did not start its servers:\n" + String.join("\n", output));
  }

  private static long firstLineAsPid(Path file) throws IOException {
    return Long.parseLong(Files.readAllLines(file).get(0).trim());
  }

  /** Runs statements; returns the first column of the first row of the last one, if any. */
  static String sql(EmbeddedServers servers, String statements) throws Exception {
    try (Connection c = servers.adminConnection(EmbeddedServers.DATABASE); Statement st = c.createStatement()) {
      String result = null;
      for (String statement : statements.split(";")) {
        if (st.execute(statement)) {
          try (ResultSet rs = st.getResultSet()) {
            result = rs.next() ? rs.getString(1) : null;
          }
        }
      }
      return result;
    }
  }

  /** One Redis command over RESP on a plain socket; returns a bulk/simple string reply. */
  static String redis(EmbeddedServers servers, String... args) throws IOException {
    URI uri = URI.create(servers.redisUrl());
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String first = readLine(in);
      switch (first.charAt(0)) {
        case '+':
          return first.substring(1);
        case '$':
          int length = Integer.parseInt(first.substring(1));
          if (length < 0) {
            return null;
          }
          String value = new String(in.readNBytes(length), StandardCharsets.UTF_8);
          readLine(in);
          return value;
        default:
          throw new IOException("Redis replied " + first);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
