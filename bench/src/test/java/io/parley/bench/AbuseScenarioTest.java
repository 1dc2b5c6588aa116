package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.standalone.Standalone;
import io.parley.testing.TestInfra;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every attack of the abuse scenario, briefly, from its command line against a standalone server in
 * this JVM (so the heap measured is this JVM's, server and bench together). What a hardened gateway
 * must show, in counts and megabytes, never in timings: the bystander is still served, the heap the
 * attackers make the server hold follows the bytes they sent (not the lengths they announced), and a
 * flooded connection is never closed without a STATUS saying why.
 */
class AbuseScenarioTest {
  static final int CONNECTIONS = 200;
  static final int FRAME_BYTES = 1 << 20;
  /**
   * Half of what the announcing attackers claim (200 × 1 MiB): a gateway that allocates announced
   * lengths holds all of it, one whose memory follows the bytes received holds a few kB per connection.
   */
  static final double HEAP_BOUND_MB = CONNECTIONS * (FRAME_BYTES / (1024.0 * 1024.0)) / 2;

  @TempDir static Path dir;
  static Standalone parley;

  @BeforeAll
  static void start() throws Exception {
    parley =
        Standalone.start(
            TestInfra.config(AbuseScenarioTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 1)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 10_000));
  }

  @AfterAll
  static void stop() throws Exception {
    parley.close();
  }

  static JsonObject abuse(AttackKind kind) throws Exception {
    Path json = dir.resolve(kind.flag() + ".jsonl");
    String[] args = {
        "abuse",
        "--port", Integer.toString(parley.tcpPort()),
        "--fingerprint", parley.fingerprint(),
        "--loops", "2",
        "--server-pid", Long.toString(ProcessHandle.current().pid()),
        "--population", dir.resolve("population.jsonl").toString(),
        "--json", json.toString(),
        "--attack", kind.flag(),
        "--connections", Integer.toString(CONNECTIONS),
        "--frame-bytes", Integer.toString(FRAME_BYTES),
        "--source-addresses", "50",
        // The flood must first authenticate its connections, which on a busy machine can take most
        // of a short round; the other kinds act from their first byte.
        "--duration-s", kind == AttackKind.PACKET_FLOOD ? "10" : "3",
        "--dribble-ms", "200",
        "--concurrency", "8",
        "--settle-s", "1",
        "--sample-ms", "500"};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Bench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);
    System.out.println(table);
    assertThat(code).as(table).isZero();
    List<String> lines = Files.readAllLines(json);
    assertThat(lines).as(table).hasSize(1);
    return new JsonObject(lines.get(0));
  }

  @ParameterizedTest
  @EnumSource(AttackKind.class)
  void under_attack_the_server_serves_the_bystander_and_holds_only_what_it_received(AttackKind kind) throws Exception {
    JsonObject row = abuse(kind);

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(row.getString("attack")).isEqualTo(kind.flag());
    softly.assertThat(row.getLong("opened")).as("hostile connections opened").isGreaterThanOrEqualTo(
        kind == AttackKind.PACKET_FLOOD ? 20L : CONNECTIONS);
    softly.assertThat(row.getLong("bystander_handshakes")).as("bystander handshakes completed").isPositive();
    softly.assertThat(row.getLong("bystander_handshakes_failed")).as("bystander handshakes failed").isZero();
    softly.assertThat(row.getLong("bystander_room_lists")).as("bystander ROOM_LISTs answered").isPositive();
    softly.assertThat(row.getLong("bystander_room_lists_failed")).as("bystander ROOM_LISTs failed").isZero();
    softly.assertThat(row.getDouble("growth_mb"))
        .as("heap held after GC with the attackers connected, over the baseline, in MB (row: %s)", row.encode())
        .isLessThan(HEAP_BOUND_MB);
    if (kind == AttackKind.PACKET_FLOOD) {
      softly.assertThat(row.getLong("flood_answered")).as("flood packets answered").isPositive();
      softly.assertThat(row.getLong("flood_rate_limited")).as("flood packets refused RATE_LIMITED").isPositive();
      softly.assertThat(row.getLong("silent_closes")).as("flood connections closed without a STATUS (row: %s)", row.encode()).isZero();
    }
    softly.assertAll();
  }
}
