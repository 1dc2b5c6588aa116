package io.parley.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The rate search of the throughput scenarios: double from the start rate until a step fails (or the
 * step budget or the ceiling is reached), then bisect twice between the last pass and the first
 * failure. The answer is the highest passing rate (0 when none passed).
 */
final class RateSearch {
  /** Runs one step at {@code rate} and says whether it passed. */
  interface Step {
    boolean run(double rate) throws Exception;
  }

  record Outcome(double best, List<Double> tried) {}

  static final int BISECTIONS = 2;

  private RateSearch() {}

  static Outcome search(double start, double ceiling, int maxSteps, Step step) throws Exception {
    List<Double> tried = new ArrayList<>();
    double pass = 0;
    double fail = -1;
    double rate = start;
    while (tried.size() < maxSteps) {
      tried.add(rate);
      if (step.run(rate)) {
        pass = rate;
        if (rate * 2 > ceiling) {
          break;
        }
        rate *= 2;
      } else {
        fail = rate;
        break;
      }
    }
    for (int i = 0; i < BISECTIONS && fail > 0 && tried.size() < maxSteps; i++) {
      double mid = Math.rint((pass + fail) / 2);
      if (mid <= pass || mid >= fail) {
        break;
      }
      tried.add(mid);
      if (step.run(mid)) {
        pass = mid;
      } else {
        fail = mid;
      }
    }
    return new Outcome(pass, tried);
  }
}
