package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.standalone.Standalone;
import io.parley.testing.TestInfra;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * {@code direct --fault} from its command line against a standalone server whose Redis this test
 * started (PostgreSQL is the shared test one), so the bench can freeze that Redis, found by its port,
 * and thaw it: every message is accounted for and none acknowledged is lost or doubled.
 */
class FaultRunTest {
  @TempDir static Path dir;
  static RedisServer redis;
  static int redisPort;
  static Standalone parley;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      redisPort = socket.getLocalPort();
    }
    redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
    redis.start();
    parley =
        Standalone.start(
            TestInfra.config(FaultRunTest.class.getSimpleName())
                .with(ConfigKey.REDIS_URL, "redis://127.0.0.1:" + redisPort + "/0")
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 1)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 10_000));
  }

  @AfterAll
  static void stop() throws Exception {
    if (parley != null) {
      parley.close();
    }
    if (redis != null && redis.isActive()) {
      redis.stop();
    }
  }

  @Test
  void a_frozen_redis_under_load_loses_no_acknowledged_message_and_every_send_is_accounted_for() throws Exception {
    List<JsonObject> rows = ScenariosTest.bench(parley, dir, "direct", "--users", "4", "--start-rate", "20",
        "--fault", "stop", "--fault-port", Integer.toString(redisPort), "--fault-at-s", "1", "--fault-for-s", "2",
        "--run-s", "4", "--drain-s", "5");

    JsonObject verdict = ScenariosTest.only(rows, "direct-fault");
    assertThat(verdict.getString("fault")).isEqualTo("stop");
    assertThat(verdict.getString("target")).startsWith("redis-server");
    long sent = verdict.getLong("sent");
    assertThat(sent).isPositive();
    assertThat(verdict.getLong("acked") + verdict.getLong("failed") + verdict.getLong("unanswered")).isEqualTo(sent);
    assertThat(verdict.getLong("lost")).isZero();
    assertThat(verdict.getLong("acked_not_in_log")).isZero();
    assertThat(verdict.getLong("duplicates_in_log")).isZero();
    assertThat(verdict.getLong("duplicate_pushes")).isZero();
    assertThat(verdict.getLong("rooms_not_read_back")).isZero();
    List<JsonObject> seconds = rows.stream().filter(r -> "direct-fault-second".equals(r.getString("scenario"))).toList();
    assertThat(seconds.stream().mapToLong(r -> r.getLong("sent")).sum()).isEqualTo(sent);
    assertThat(seconds.stream().mapToLong(r -> r.getLong("acked")).sum()).isEqualTo(verdict.getLong("acked"));
    assertThat(ProcessHandle.of(ListeningProcess.on(redisPort).orElseThrow()).map(ProcessHandle::isAlive)).as("thawed, still there").contains(true);
  }
}
