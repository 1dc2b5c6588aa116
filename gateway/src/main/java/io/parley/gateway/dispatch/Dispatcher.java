package io.parley.gateway.dispatch;

import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.PacketRoutes;
import io.parley.shared.bus.ServiceEndpoint;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Set;

/**
 * Sends a validated client request to the owning service's bus address and always completes with
 * exactly one reply for the client: the service's answer, UNAVAILABLE when no service instance
 * answered in time, or INTERNAL_ERROR with a correlation id.
 *
 * <p>Requests that are safe to repeat go out in {@link #ATTEMPTS} attempts of a third of the bus
 * timeout each rather than one long wait: the bus hands each attempt to the next replica in turn, so
 * a frozen replica (a long GC pause, CPU throttling, SIGSTOP) costs a third of the timeout instead of
 * a failed request. Safe means a read, a read pointer, or a CHAT_ACTION that carries a request id —
 * the message service stores (user, device, request id) with the event in one commit, so a second
 * attempt gets the first's answer and never a second event. Everything else keeps one attempt.
 * Repeats are bounded by a {@link RetryBudget}: when it is spent, a timed-out attempt answers
 * UNAVAILABLE (retryable by the client) instead of adding to an overloaded service's queue.
 */
public final class Dispatcher {
  /** Attempts for a repeatable request; together they take about the configured bus timeout. */
  static final int ATTEMPTS = 3;

  private static final Set<PacketType> READS =
      EnumSet.of(PacketType.ROOM_LIST, PacketType.ROOM_INFO, PacketType.SYNC_ROOM_REQ, PacketType.READ_RECEIPT, PacketType.DEVICES);

  private final Vertx vertx;
  private final DeliveryOptions options;
  private final DeliveryOptions attemptOptions;
  private final RetryBudget retries = new RetryBudget();

  public Dispatcher(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.attemptOptions = new DeliveryOptions().setSendTimeout(Math.max(1, timeoutMs / ATTEMPTS));
  }

  public Future<BusReply> dispatch(PacketType type, BusRequest request) {
    boolean repeatable = READS.contains(type) || (type == PacketType.CHAT_ACTION && request.requestId() != null);
    JsonObject body = request.toJson();
    if (repeatable) {
      retries.earn();
    }
    Future<Message<JsonObject>> answered = repeatable
        ? attempt(PacketRoutes.address(type), body, ATTEMPTS)
        : vertx.eventBus().request(PacketRoutes.address(type), body, options);
    return answered
        .map(message -> BusReply.fromJson(message.body()))
        .recover(failure -> Future.succeededFuture(failureReply(type, failure)));
  }

  /** One attempt with the short timeout; on a timeout, the next, while attempts and the budget last. */
  private Future<Message<JsonObject>> attempt(String address, JsonObject body, int left) {
    return vertx.eventBus().<JsonObject>request(address, body, attemptOptions).recover(failure ->
        left > 1 && failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT && retries.trySpend()
            ? attempt(address, body, left - 1)
            : Future.failedFuture(failure));
  }

  private static BusReply failureReply(PacketType type, Throwable failure) {
    if (failure instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.TIMEOUT || reply.failureType() == ReplyFailure.NO_HANDLERS)) {
      return BusReply.of(
          Envelope.status(StatusCode.UNAVAILABLE, "the " + PacketRoutes.service(type).name().toLowerCase() + " service did not answer; retry with the same id"));
    }
    return ServiceEndpoint.failureReply(PacketRoutes.address(type), failure);
  }
}
