package io.parley.shared.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

class BoundedStopTest {

  @Test
  void a_stop_that_never_ends_is_given_up_on_at_the_deadline() throws Exception {
    Promise<Void> hangingLeave = Promise.promise();

    assertThat(BoundedStop.within(hangingLeave.future(), 50)).isFalse();
  }

  @Test
  void a_stop_that_ended_either_way_is_done() throws Exception {
    assertThat(BoundedStop.within(Future.succeededFuture(), 50)).isTrue();
    assertThat(BoundedStop.within(Future.failedFuture("the cluster refused the leave"), 50)).isTrue();
  }

  @Test
  void the_deadline_leaves_room_inside_the_pods_termination_grace() {
    // k8s/base: terminationGracePeriodSeconds 30 for services (60 for gateways, after a 5 s preStop).
    assertThat(ServiceLauncher.STOP_DEADLINE_MS).isLessThan(30_000);
    assertThat(ServiceLauncher.STOP_DEADLINE_MS).isGreaterThan(ServiceVerticle.DRAIN_TIMEOUT_MS);
  }
}
