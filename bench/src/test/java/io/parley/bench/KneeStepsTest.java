package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KneeStepsTest {
  @Test
  void the_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones() {
    assertThat(Median.of(List.of(9.0, 1.0, 4.0))).isEqualTo(4.0);
    assertThat(Median.of(List.of(9.0, 1.0, 4.0, 2.0))).isEqualTo(3.0);
    assertThat(Median.of(Arrays.asList(null, 5.0, Double.NaN))).isEqualTo(5.0);
    assertThat(Median.of(List.of())).isNull();
  }

  @Test
  void the_knee_is_every_step_at_the_best_rate_and_the_summary_holds_their_medians() {
    List<JsonObject> steps = List.of(
        step(1000, true, 20, 0.30),
        step(2000, true, 90, 0.20),
        step(4000, false, 900, 0.18),
        step(2000, false, 130, 0.25),
        step(2000, true, 60, 0.22));

    KneeSteps knee = KneeSteps.at(steps, 2000);
    JsonObject summary = new JsonObject();
    knee.summarise(summary);

    assertThat(knee.count()).isEqualTo(3);
    assertThat(summary.getInteger("knee_passed")).isEqualTo(2);
    assertThat(summary.getDouble("p99_ms_at_best")).isEqualTo(90.0);
    assertThat(summary.getDouble("server_cpu_ms_per_msg_at_best")).isEqualTo(0.22);
  }

  @Test
  void no_passing_rate_has_no_knee() {
    JsonObject summary = new JsonObject();
    KneeSteps.at(List.of(step(50, false, 500, 0.5)), 0).summarise(summary);

    assertThat(summary.getInteger("knee_runs")).isZero();
    assertThat(summary.getValue("p99_ms_at_best")).isNull();
  }

  private static JsonObject step(double rate, boolean pass, double p99, double cpuPerMsg) {
    return new JsonObject().put("rate", rate).put("pass", pass).put("p99_ms", p99).put("server_cpu_ms_per_msg", cpuPerMsg);
  }
}
