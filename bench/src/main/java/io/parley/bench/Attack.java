package io.parley.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One kind of hostile traffic during an abuse round. It runs on the bench's event loops in the
 * background between {@link #start} and {@link #stop}; everything it sees of the server's answers goes
 * into the round's {@link Tally}.
 */
interface Attack {
  /** Starts opening connections and returns at once. */
  void start();

  /** Stops opening connections and closes the bench's side of those still open; completes with how many there were. */
  Future<Long> stop();

  /** This attack's own figures for the row (beyond the tally). */
  default void report(JsonObject row, double seconds) {}
}
