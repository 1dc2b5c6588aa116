package io.parley.shared.bus;

import io.parley.shared.infra.Dependencies;
import io.parley.shared.infra.Outages;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a {@link RequestHandler} to its bus address and turns every outcome into exactly one reply:
 * the handler's packet, a STATUS for a client-facing failure, UNAVAILABLE when a dependency could not
 * be reached ({@link Outages}: the client retries with the same id), or INTERNAL_ERROR with a
 * correlation id (logged with the cause, never sent to the client).
 *
 * <p>An outage is not logged here, request by request: {@link Dependencies} logs it once when it
 * begins and once when it ends.
 */
public final class ServiceEndpoint {
  private static final Logger log = LoggerFactory.getLogger(ServiceEndpoint.class);

  /** What the client reads: nothing about which server, only that retrying is right. */
  public static final String UNAVAILABLE_REASON = "a dependency of the server is temporarily unavailable; retry with the same id";

  private ServiceEndpoint() {}

  /** Completes with the consumer once its registration has reached the whole cluster. */
  public static Future<MessageConsumer<Object>> register(Vertx vertx, String address, RequestHandler handler) {
    BusCodecs.register(vertx);
    MessageConsumer<Object> consumer =
        vertx.eventBus().consumer(address, message -> serve(address, handler, message));
    return consumer.completion().map(consumer);
  }

  /**
   * Binds an internal handler. A failure travels back as a ReplyException (code 500) with a
   * correlation id; the cause is logged here, where it happened.
   */
  public static <Q, R> Future<MessageConsumer<Q>> registerInternal(Vertx vertx, String address, RecordHandler<Q, R> handler) {
    BusCodecs.register(vertx);
    MessageConsumer<Q> consumer =
        vertx.eventBus().consumer(address, message -> {
          Future<R> reply;
          try {
            reply = handler.handle(message.body());
          } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
          }
          reply.onComplete(done -> {
            if (done.succeeded()) {
              message.reply(done.result());
            } else if (Outages.isOutage(done.cause())) {
              log.debug("internal request on {} failed: a dependency is unreachable: {}", address, done.cause().toString());
              message.fail(Outages.DEPENDENCY_UNAVAILABLE, "a dependency is unreachable; retry");
            } else {
              String correlationId = UUID.randomUUID().toString();
              log.error("internal request on {} failed, correlation id {}", address, correlationId, done.cause());
              message.fail(500, "correlation id " + correlationId);
            }
          });
        });
    return consumer.completion().map(consumer);
  }

  /**
   * Serves one request, a {@link BusRequest} record or — from a gateway of the release before the
   * bus carried records, during a rolling upgrade — its JSON, answered in kind: that gateway can
   * decode JSON only. A gateway of this release never sends JSON. So services can be upgraded before
   * gateways (docs/operations.md, "Upgrading").
   */
  private static void serve(String address, RequestHandler handler, Message<Object> message) {
    boolean json = message.body() instanceof JsonObject;
    Future<BusReply> reply;
    try {
      BusRequest request = json
          ? BusRequest.fromJson((JsonObject) message.body(), PacketRoutes.typeServedAt(address).orElseThrow())
          : (BusRequest) message.body();
      reply = handler.handle(request);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(done -> {
      BusReply answer = done.succeeded() ? done.result() : failureReply(address, done.cause());
      message.reply(json ? answer.toJson() : answer);
    });
  }

  /** The reply for a failed handler future. */
  public static BusReply failureReply(String address, Throwable cause) {
    if (cause instanceof StatusException status) {
      return BusReply.of(status.toStatus());
    }
    if (cause instanceof BadPacketException bad) {
      return BusReply.of(bad.toStatus());
    }
    if (Outages.isOutage(cause)) {
      log.debug("request on {} failed: a dependency is unreachable: {}", address, cause.toString());
      return BusReply.of(Envelope.status(StatusCode.UNAVAILABLE, UNAVAILABLE_REASON));
    }
    String correlationId = UUID.randomUUID().toString();
    log.error("request on {} failed, correlation id {}", address, correlationId, cause);
    return BusReply.of(Envelope.status(StatusCode.INTERNAL_ERROR, "correlation id " + correlationId));
  }
}
