package io.parley.message.log;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs one room's appends one after another in this instance, so they complete — and are pushed —
 * in sequence order. Appends of one room on different pool connections could otherwise finish out of
 * order, and members would receive seq 6 before seq 5. Rooms do not wait for each other. Used from
 * the message-service verticle's event loop only.
 */
public final class RoomSequencer {
  private final Map<UUID, Future<?>> tails = new HashMap<>();

  public <T> Future<T> inOrder(UUID room, Supplier<Future<T>> work) {
    Future<?> previous = tails.getOrDefault(room, Future.succeededFuture());
    Future<T> mine = previous.transform(done -> work.get());
    tails.put(room, mine);
    mine.onComplete(done -> tails.remove(room, mine));
    return mine;
  }

  /** Rooms with work queued or running: none once all is done, so nothing is kept per room ever seen. */
  int roomsInFlight() {
    return tails.size();
  }
}
