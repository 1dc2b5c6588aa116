package io.parley.shared.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
  void the_deadline_leaves_room_inside_the_pods_termination_grace() throws Exception {
    assertThat(ServiceLauncher.STOP_DEADLINE_MS).isLessThan(shortestTerminationGraceMs());
    assertThat(ServiceLauncher.STOP_DEADLINE_MS).isGreaterThan(ServiceVerticle.DRAIN_TIMEOUT_MS);
  }

  /** The shortest terminationGracePeriodSeconds among the base manifests (k8s/base), in ms. */
  private static long shortestTerminationGraceMs() throws Exception {
    Pattern grace = Pattern.compile("terminationGracePeriodSeconds:\\s*(\\d+)");
    long shortest = Long.MAX_VALUE;
    try (Stream<Path> manifests = Files.list(Path.of("..", "k8s", "base"))) {
      for (Path manifest : manifests.filter(path -> path.toString().endsWith(".yaml")).toList()) {
        Matcher found = grace.matcher(Files.readString(manifest));
        while (found.find()) {
          shortest = Math.min(shortest, Long.parseLong(found.group(1)) * 1000);
        }
      }
    }
    assertThat(shortest).as("a terminationGracePeriodSeconds in k8s/base").isNotEqualTo(Long.MAX_VALUE);
    return shortest;
  }
}
