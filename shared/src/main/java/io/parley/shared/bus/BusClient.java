package io.parley.shared.bus;

import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Every request one process sends to a service over the bus goes through here, so the waiting policy
 * is written once: the wait comes from {@link BusTimeouts} (one table, by address), and a service
 * that does not answer in it, or has no instance registered, fails the request with
 * {@link StatusException} UNAVAILABLE naming that service (the client retries with the same id).
 * Any other failure (the service's own refusal) passes through unchanged.
 *
 * <p>A request that is safe to repeat ({@link #requestRepeatable}) goes out in {@link #ATTEMPTS}
 * attempts of a third of its wait each rather than one long wait: the bus hands each attempt to the
 * next replica in turn, so a frozen replica (a long GC pause, CPU throttling, SIGSTOP) costs a third
 * of the wait instead of a failed request. Repeats are bounded by a {@link RetryBudget}: when it is
 * spent, a timed-out attempt answers UNAVAILABLE instead of adding to an overloaded service's queue.
 *
 * <p>Bodies and replies are the bus records ({@link BusCodecs}) or JSON. One instance per verticle:
 * its budget is used from one event loop.
 */
public final class BusClient {
  /** Attempts for a repeatable request; together they take about the address's wait. */
  public static final int ATTEMPTS = 3;

  private final EventBus bus;
  private final BusTimeouts timeouts;
  private final RetryBudget retries;

  public BusClient(Vertx vertx, BusTimeouts timeouts) {
    this(vertx, timeouts, new RetryBudget());
  }

  BusClient(Vertx vertx, BusTimeouts timeouts, RetryBudget retries) {
    BusCodecs.register(vertx);
    this.bus = vertx.eventBus();
    this.timeouts = timeouts;
    this.retries = retries;
  }

  /** One attempt with the address's wait; the reply's body. */
  public <R> Future<R> request(String address, Object body) {
    return bus.<R>request(address, body, new DeliveryOptions().setSendTimeout(timeouts.of(address)))
        .map(Message::body)
        .recover(failure -> Future.failedFuture(unanswered(address, failure)));
  }

  /**
   * For a request the service answers the same way however often it arrives (a read, or a write it
   * deduplicates by id): up to {@link #ATTEMPTS} attempts while the retry budget lasts.
   */
  public <R> Future<R> requestRepeatable(String address, Object body) {
    retries.earn();
    DeliveryOptions attempt = new DeliveryOptions().setSendTimeout(Math.max(1, timeouts.of(address) / ATTEMPTS));
    return this.<R>attempt(address, body, attempt, ATTEMPTS)
        .map(Message::body)
        .recover(failure -> Future.failedFuture(unanswered(address, failure)));
  }

  /** One attempt with the short wait; on a timeout, the next, while attempts and the budget last. */
  private <R> Future<Message<R>> attempt(String address, Object body, DeliveryOptions options, int left) {
    return bus.<R>request(address, body, options).recover(failure ->
        left > 1 && isFailure(failure, ReplyFailure.TIMEOUT) && retries.trySpend()
            ? attempt(address, body, options, left - 1)
            : Future.failedFuture(failure));
  }

  private static Throwable unanswered(String address, Throwable failure) {
    if (isFailure(failure, ReplyFailure.TIMEOUT) || isFailure(failure, ReplyFailure.NO_HANDLERS)) {
      return new StatusException(StatusCode.UNAVAILABLE, "the " + serviceOf(address) + " service did not answer; retry with the same id");
    }
    return failure;
  }

  private static boolean isFailure(Throwable failure, ReplyFailure type) {
    return failure instanceof ReplyException reply && reply.failureType() == type;
  }

  /** The service owning an address: {@code parley.<service>.<request>} (see {@link Addresses}). */
  public static String serviceOf(String address) {
    String[] parts = address.split("\\.");
    return parts.length > 1 ? parts[1] : address;
  }
}
