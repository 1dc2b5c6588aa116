package io.parley.gateway.dispatch;

import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.PacketRoutes;
import io.parley.shared.bus.ServiceEndpoint;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.Future;
import java.util.EnumSet;
import java.util.Set;

/**
 * Sends a validated client request to the owning service's bus address and always completes with
 * exactly one reply for the client: the service's answer, UNAVAILABLE when no service instance
 * answered in time ({@link BusClient}'s policy), or INTERNAL_ERROR with a correlation id.
 *
 * <p>Which requests are safe to repeat is the gateway's to say: a read, a read pointer, or a
 * CHAT_ACTION that carries a request id — the message service stores (user, device, request id) with
 * the event in one commit, so a second attempt gets the first's answer and never a second event.
 * Those go out with {@link BusClient#requestRepeatable}; everything else gets one attempt.
 */
public final class Dispatcher {
  private static final Set<PacketType> READS =
      EnumSet.of(PacketType.ROOM_LIST, PacketType.ROOM_INFO, PacketType.SYNC_ROOM_REQ, PacketType.READ_RECEIPT, PacketType.DEVICES);

  private final BusClient bus;

  public Dispatcher(BusClient bus) {
    this.bus = bus;
  }

  public Future<BusReply> dispatch(PacketType type, BusRequest request) {
    boolean repeatable = READS.contains(type) || (type == PacketType.CHAT_ACTION && request.requestId() != null);
    String address = PacketRoutes.address(type);
    Future<BusReply> answered = repeatable ? bus.requestRepeatable(address, request) : bus.request(address, request);
    return answered.recover(failure -> Future.succeededFuture(ServiceEndpoint.failureReply(address, failure)));
  }
}
