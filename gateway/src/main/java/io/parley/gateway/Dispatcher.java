package io.parley.gateway;

import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.ServiceEndpoint;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Sends a validated client request to the owning service's bus address and always completes with
 * exactly one reply for the client: the service's answer, UNAVAILABLE when no service instance
 * answered in time, or INTERNAL_ERROR with a correlation id.
 */
final class Dispatcher {
  private final Vertx vertx;
  private final DeliveryOptions options;

  Dispatcher(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  Future<BusReply> dispatch(PacketType type, BusRequest request) {
    return vertx.eventBus()
        .<JsonObject>request(type.address(), request.toJson(), options)
        .map(message -> BusReply.fromJson(message.body()))
        .recover(failure -> Future.succeededFuture(failureReply(type, failure)));
  }

  private static BusReply failureReply(PacketType type, Throwable failure) {
    if (failure instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.TIMEOUT || reply.failureType() == ReplyFailure.NO_HANDLERS)) {
      return BusReply.of(
          Envelope.status(StatusCode.UNAVAILABLE, "the " + type.service().name().toLowerCase() + " service did not answer; retry with the same id"));
    }
    return ServiceEndpoint.failureReply(type.address(), failure);
  }
}
