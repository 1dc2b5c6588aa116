package io.parley.shared.service;

import io.micrometer.core.instrument.Counter;
import io.parley.shared.metrics.Meters;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns client requests away while a service already works on as many as it may, so an overload
 * costs fast UNAVAILABLE answers instead of memory.
 *
 * <p>Why a bound here: the gateway retries a request that timed out, so a service that has fallen
 * behind receives each request up to three times while the first copy still waits in its group
 * commit. Benchmark round two watched the message service's heap fill that way until it stopped.
 * The gateway's retry budget slows the feed; this bound is what keeps the service's own work finite.
 * A refused request has done nothing (no event is stored), so the client's retry with the same id is
 * safe. One WARN when a service starts turning requests away and one INFO when it admits again, with
 * how many it refused, never a line per request. Event-loop only, like {@link InFlight}.
 */
final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  /** What the client reads: retrying is right, with backoff. */
  static final String BUSY_REASON = "the server is busy; retry with the same id in a moment";

  private final String service;
  private final int limit;
  private final Counter refusals;
  private long refusedThisEpisode;
  private long episodeStartedMs;

  Admission(String service, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("PARLEY_SERVICE_MAX_IN_FLIGHT must be at least 1, was " + limit);
    }
    this.service = service;
    this.limit = limit;
    this.refusals = Counter.builder("parley.service.requests.refused")
        .description("Client requests answered UNAVAILABLE at once because the service had PARLEY_SERVICE_MAX_IN_FLIGHT in flight")
        .tag("service", service)
        .register(Meters.registry());
  }

  /** Null when a new request may start with {@code inFlight} already running; else the refusal. */
  StatusException refusal(int inFlight) {
    if (inFlight < limit) {
      if (refusedThisEpisode > 0) {
        log.info("{} service admits requests again after refusing {} in {} ms at its limit of {} in flight",
            service, refusedThisEpisode, System.currentTimeMillis() - episodeStartedMs, limit);
        refusedThisEpisode = 0;
      }
      return null;
    }
    if (refusedThisEpisode++ == 0) {
      episodeStartedMs = System.currentTimeMillis();
      log.warn("{} service has {} requests in flight, its limit (PARLEY_SERVICE_MAX_IN_FLIGHT); "
          + "answering new client requests UNAVAILABLE until it catches up", service, inFlight);
    }
    refusals.increment();
    return new StatusException(StatusCode.UNAVAILABLE, BUSY_REASON);
  }
}
