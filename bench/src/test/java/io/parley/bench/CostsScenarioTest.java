package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.auth.password.Argon2Parameters;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley-bench costs} runs without a server and reports every operation. Only presence and
 * sign are checked: how fast an operation ran is for the bench to report, never for a test to assert.
 */
class CostsScenarioTest {
  @TempDir Path dir;

  @Test
  void costs_needs_no_server_and_reports_a_positive_row_per_operation() throws Exception {
    Path json = dir.resolve("costs.jsonl");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code = Bench.run(new String[] {"costs", "--rounds", "8", "--json", json.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8));

    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(table).isZero();
    List<JsonObject> rows = Files.readAllLines(json).stream().map(JsonObject::new).toList();
    assertThat(rows).extracting(r -> r.getString("op")).containsExactly(
        "token verify (TokenVerifier)",
        "token verify, seen before (TokenVerifier)",
        "token verify (vertx-auth-jwt JWTAuth)",
        "handshake (server + client, in memory)",
        "record seal 256 B",
        "record open 256 B",
        "record seal 16 KiB",
        "record open 16 KiB",
        "argon2id hash " + Argon2Parameters.DEFAULT,
        "image captcha issue (render + PNG)");
    for (JsonObject row : rows) {
      assertThat(row.getString("scenario")).isEqualTo("costs");
      assertThat(row.getInteger("rounds")).as(row.encode()).isPositive();
      assertThat(row.getDouble("median_us")).as(row.encode()).isPositive();
      assertThat(row.getDouble("p90_us")).as(row.encode()).isGreaterThanOrEqualTo(row.getDouble("median_us"));
      assertThat(row.getDouble("ops_per_s_core")).as(row.encode()).isPositive();
    }
    assertThat(table).contains("loadavg before", "median_us");
  }

  @Test
  void costs_refuses_the_server_flags_it_has_no_use_for() {
    assertThatThrownBy(() -> Bench.run(new String[] {"costs", "--fingerprint", "ab"}, System.out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown flag --fingerprint");
  }
}
