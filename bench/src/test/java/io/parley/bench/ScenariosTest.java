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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario, briefly and small, from its command line against a standalone server started here
 * (in this JVM, so --server-pid is this process): the tool cannot rot, and its bookkeeping — what was
 * sent, acknowledged, delivered and stored — is checked on the way.
 */
class ScenariosTest {
  @TempDir static Path dir;
  static Standalone parley;

  @BeforeAll
  static void start() throws Exception {
    parley =
        Standalone.start(
            TestInfra.config(ScenariosTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 1)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 10_000));
  }

  @AfterAll
  static void stop() throws Exception {
    parley.close();
  }

  /** Runs {@code parley-bench SCENARIO ...} and returns the JSON rows it wrote. */
  static List<JsonObject> bench(String scenario, String... flags) throws Exception {
    return bench(parley, dir, scenario, flags);
  }

  /** Runs {@code parley-bench SCENARIO ...} against {@code parley}, files in {@code dir}; returns the JSON rows it wrote. */
  static List<JsonObject> bench(Standalone parley, Path dir, String scenario, String... flags) throws Exception {
    Path json = dir.resolve(scenario + "-" + System.nanoTime() + ".jsonl");
    List<String> args = new ArrayList<>(List.of(
        scenario,
        "--port", Integer.toString(parley.tcpPort()),
        "--fingerprint", parley.fingerprint(),
        "--loops", "2",
        "--server-pid", Long.toString(ProcessHandle.current().pid()),
        "--population", dir.resolve("population.jsonl").toString(),
        "--json", json.toString()));
    args.addAll(List.of(flags));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Bench.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(table).isZero();
    assertThat(table).contains("scenario");
    List<JsonObject> rows = new ArrayList<>();
    for (String line : Files.readAllLines(json)) {
      rows.add(new JsonObject(line));
    }
    return rows;
  }

  static JsonObject only(List<JsonObject> rows, String scenario) {
    List<JsonObject> matching = rows.stream().filter(r -> scenario.equals(r.getString("scenario"))).toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }

  @Test
  void idle_holds_authenticated_connections_and_measures_the_server() throws Exception {
    JsonObject row = only(bench("idle", "--connections", "20", "--accounts", "5", "--concurrency", "8", "--hold-s", "0"), "idle");

    assertThat(row.getInteger("connections")).isEqualTo(20);
    assertThat(row.getInteger("failed")).isZero();
    assertThat(row.getLong("still_open")).isEqualTo(20);
    assertThat(row.getDouble("logins_per_s")).isPositive();
    assertThat(row.getLong("heap_after_kb")).isPositive();
    assertThat(row.getLong("rss_after_kb")).isPositive();
  }

  @Test
  void resume_times_fresh_connections_with_auth_token() throws Exception {
    JsonObject row = only(bench("resume", "--accounts", "4", "--concurrency", "4", "--duration-s", "5", "--max-count", "40"), "resume");

    assertThat(row.getLong("completed")).isEqualTo(40);
    assertThat(row.getLong("failed")).isZero();
    assertThat(row.getDouble("auth_p50_ms")).isPositive();
  }

  @Test
  void direct_sends_open_loop_and_every_acknowledged_message_is_delivered_and_stored() throws Exception {
    List<JsonObject> rows = bench("direct", "--users", "4", "--start-rate", "50", "--search", "false",
        "--warmup-s", "0.5", "--measure-s", "1", "--pg-url", parley.config().get(ConfigKey.PG_URL));

    JsonObject step = only(rows, "direct");
    assertThat(step.getLong("sent")).isBetween(40L, 60L);
    assertThat(step.getLong("acked")).isEqualTo(step.getLong("sent"));
    assertThat(step.getLong("delivered")).isEqualTo(step.getLong("sent"));
    assertThat(step.getLong("lost")).isZero();
    assertThat(step.getLong("db_rows")).isEqualTo(step.getLong("step_acked"));
    assertThat(step.getDouble("p99_ms")).isPositive();
    assertThat(step.getJsonObject("cpu_pct")).isNotEmpty();
    // The server here is this JVM (bench included), so only the presence of the figures is checked.
    assertThat(step.getDouble("server_cpu_ms_per_msg")).isNotNegative();
    assertThat(step.getDouble("server_cpu_ms_per_delivery")).isNotNegative();
    assertThat(step.getDouble("bench_cpu_ms_per_msg")).isNotNegative();
    JsonObject summary = only(rows, "direct-result");
    assertThat(summary.getInteger("steps")).isEqualTo(1);
    assertThat(summary.getString("commit")).isNotBlank();
    assertThat(summary.containsKey("server_jvm_flags")).isTrue();
  }

  @Test
  void the_search_runs_its_knee_three_times_and_reports_their_medians() throws Exception {
    List<JsonObject> rows = bench("direct", "--users", "4", "--start-rate", "100", "--max-steps", "1", "--p99-ms", "60000",
        "--warmup-s", "0.5", "--measure-s", "1", "--drain-s", "2");

    List<JsonObject> steps = rows.stream().filter(r -> "direct".equals(r.getString("scenario"))).toList();
    assertThat(steps).hasSize(3).allSatisfy(s -> assertThat(s.getDouble("rate")).isEqualTo(100.0));
    JsonObject summary = only(rows, "direct-result");
    assertThat(summary.getInteger("knee_runs")).isEqualTo(3);
    assertThat(summary.getInteger("steps")).isEqualTo(3);
    assertThat(summary.getDouble("p99_ms_at_best"))
        .isEqualTo(Median.of(steps.stream().map(s -> s.getDouble("p99_ms")).toList()));
  }

  @Test
  void group_fans_each_message_out_to_every_other_member() throws Exception {
    JsonObject step = only(bench("group", "--users", "10", "--members", "10", "--start-rate", "20", "--search", "false",
        "--warmup-s", "0.5", "--measure-s", "1", "--profile", dir.resolve("group").toString()), "group");

    assertThat(step.getLong("senders")).isEqualTo(1);
    assertThat(step.getLong("delivered")).isEqualTo(9 * step.getLong("acked"));
    assertThat(step.getLong("lost")).isZero();
    assertThat(step.getString("db_rows")).isEqualTo("no --pg-url");
    assertThat(dir.resolve("group-20.jfr")).as("a JFR recording of the measured window").isNotEmptyFile();
  }

  @Test
  void sync_catches_a_returning_device_up_on_what_it_missed() throws Exception {
    JsonObject row = only(bench("sync", "--events", "50", "--runs", "2"), "sync");

    assertThat(row.getInteger("runs")).isEqualTo(2);
    assertThat(row.getLong("pages")).isEqualTo(2);
    assertThat(row.getDouble("p50_ms")).isPositive();
  }

  @Test
  void the_rate_search_doubles_until_a_failure_then_bisects_twice() throws Exception {
    List<Double> tried = new ArrayList<>();
    RateSearch.Outcome outcome = RateSearch.search(250, 1e9, 20, rate -> {
      tried.add(rate);
      return rate <= 2600;
    });

    assertThat(tried).containsExactly(250.0, 500.0, 1000.0, 2000.0, 4000.0, 3000.0, 2500.0);
    assertThat(outcome.best()).isEqualTo(2500.0);
  }
}
