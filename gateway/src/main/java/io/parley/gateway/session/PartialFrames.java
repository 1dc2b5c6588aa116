package io.parley.gateway.session;

import io.parley.gateway.limits.Refusal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes held in unfinished frames, for the per-gateway budget (PARLEY_PARTIAL_FRAME_BUDGET_BYTES).
 * The total is process-wide; each gateway verticle instance keeps its own holders in the order their
 * frames started and, when the total is over budget, closes its oldest holders first. Connections
 * are spread evenly over the instances, so each instance shedding its own oldest approximates
 * "oldest in the process" without any cross-thread handoff. One instance per event loop: the map is
 * touched only there.
 */
public final class PartialFrames {
  private final AtomicLong total;
  private final long budget;
  /** Session → bytes it holds, in the order the frames started (LinkedHashMap keeps first insertion). */
  private final LinkedHashMap<Session, Integer> holders = new LinkedHashMap<>();

  /** {@code total} is shared by every instance of the process. */
  public PartialFrames(AtomicLong total, long budget) {
    this.total = total;
    this.budget = budget;
  }

  /** The session now holds {@code bytes} in an unfinished frame (0 when it holds none). */
  void update(Session session, int bytes) {
    Integer before = bytes == 0 ? holders.remove(session) : holders.put(session, bytes);
    int delta = bytes - (before == null ? 0 : before);
    if (delta != 0) {
      total.addAndGet(delta);
    }
    while (total.get() > budget && !holders.isEmpty()) {
      Iterator<Map.Entry<Session, Integer>> oldest = holders.entrySet().iterator();
      Map.Entry<Session, Integer> entry = oldest.next();
      oldest.remove();
      total.addAndGet(-entry.getValue());
      entry.getKey().refuse(Refusal.PARTIAL_FRAME_BUDGET);
    }
  }

  long total() {
    return total.get();
  }

  long budget() {
    return budget;
  }
}
