package io.parley.shared.bus;

import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;

/**
 * The honest answer for a request kind whose handler a later release adds: STATUS NOT_IMPLEMENTED
 * naming the packet, so a client gets a clear reply instead of a timeout. A service registers it
 * only for addresses it owns and does not serve yet; each one is replaced by a real handler.
 */
public final class NotBuiltYet implements RequestHandler {
  private final PacketType type;

  public NotBuiltYet(PacketType type) {
    this.type = type;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    return Future.failedFuture(
        new StatusException(StatusCode.NOT_IMPLEMENTED, type.wireName() + " is not offered by this server version yet"));
  }
}
