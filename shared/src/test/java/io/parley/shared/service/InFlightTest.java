package io.parley.shared.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

class InFlightTest {

  @Test
  void idle_completes_only_when_the_last_request_in_flight_finishes() {
    InFlight inFlight = new InFlight();
    Promise<String> first = Promise.promise();
    Promise<String> second = Promise.promise();
    inFlight.track(first::future);
    inFlight.track(second::future);

    Future<Void> idle = inFlight.idle();
    first.complete("a");
    assertThat(idle.isComplete()).isFalse();
    second.fail("b");

    assertThat(idle.succeeded()).isTrue();
  }

  @Test
  void nothing_in_flight_is_idle_at_once_and_a_throwing_handler_is_counted_out() {
    InFlight inFlight = new InFlight();
    Future<Object> thrown = inFlight.track(() -> {
      throw new IllegalStateException("boom");
    });

    assertThat(thrown.failed()).isTrue();
    assertThat(inFlight.idle().succeeded()).isTrue();
  }
}
