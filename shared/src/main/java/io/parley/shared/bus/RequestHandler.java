package io.parley.shared.bus;

import io.vertx.core.Future;

/** Serves one bus address: one handler per request kind. */
@FunctionalInterface
public interface RequestHandler {
  /**
   * Fails with {@link io.parley.shared.protocol.StatusException} or
   * {@link io.parley.shared.protocol.BadPacketException} for answers the client should see; any other
   * failure becomes INTERNAL_ERROR with a correlation id.
   */
  Future<BusReply> handle(BusRequest request);
}
