package io.parley.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median of repeated measurements: the middle value, or the mean of the two middle ones. */
final class Median {
  private Median() {}

  /** The median of the non-null values; null when there are none. */
  static Double of(List<Double> values) {
    List<Double> present = new ArrayList<>();
    for (Double v : values) {
      if (v != null && !v.isNaN()) {
        present.add(v);
      }
    }
    if (present.isEmpty()) {
      return null;
    }
    Collections.sort(present);
    int n = present.size();
    return n % 2 == 1 ? present.get(n / 2) : (present.get(n / 2 - 1) + present.get(n / 2)) / 2;
  }
}
