package io.parley.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The runs of a rate search's knee (its best passing rate, run again until there are {@value #RUNS}):
 * the summary reports their medians, so one lucky or unlucky step on a shared machine does not decide
 * the figure, and how many of them passed.
 */
final class KneeSteps {
  static final int RUNS = 3;

  private final List<JsonObject> runs;

  private KneeSteps(List<JsonObject> runs) {
    this.runs = runs;
  }

  /** The step rows at {@code rate}, in the order they ran. */
  static KneeSteps at(List<JsonObject> steps, double rate) {
    List<JsonObject> runs = new ArrayList<>();
    for (JsonObject step : steps) {
      Double stepRate = step.getDouble("rate");
      if (rate > 0 && stepRate != null && stepRate == rate) {
        runs.add(step);
      }
    }
    return new KneeSteps(runs);
  }

  int count() {
    return runs.size();
  }

  int passed() {
    return (int) runs.stream().filter(r -> Boolean.TRUE.equals(r.getBoolean("pass"))).count();
  }

  /** The median of a numeric column over the knee's runs, or null. */
  Double median(String column) {
    return Median.of(values(r -> r.getValue(column) instanceof Number n ? n.doubleValue() : null));
  }

  private List<Double> values(Function<JsonObject, Double> column) {
    List<Double> values = new ArrayList<>();
    for (JsonObject run : runs) {
      values.add(column.apply(run));
    }
    return values;
  }

  /** Adds the knee's runs, passes and medians to a scenario's summary row. */
  void summarise(JsonObject summary) {
    summary.put("knee_runs", count())
        .put("knee_passed", passed())
        .put("p99_ms_at_best", median("p99_ms"))
        .put("deliv_per_s_at_best", median("deliv_per_s"))
        .put("server_cpu_ms_per_msg_at_best", median("server_cpu_ms_per_msg"))
        .put("server_cpu_ms_per_delivery_at_best", median("server_cpu_ms_per_delivery"))
        .put("bench_cpu_ms_per_msg_at_best", median("bench_cpu_ms_per_msg"));
  }
}
