package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.Envelope;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResendPacerTest {
  /** Timers the test fires by hand, in order, remembering each delay. */
  private final ArrayDeque<Runnable> timers = new ArrayDeque<>();
  private final List<Long> delays = new ArrayList<>();
  private final List<String> sent = new ArrayList<>();
  private final ResendPacer pacer = new ResendPacer((delay, task) -> {
    delays.add(delay);
    timers.add(task);
  }, packet -> sent.add(packet.id()));

  private static Envelope request(String id) {
    return new Envelope("ROOM_LIST", id, new JsonObject());
  }

  /** Admits a request and sends it when the pacer says so, as the connection does. */
  private void ask(String... ids) {
    for (String id : ids) {
      if (pacer.admit(id, request(id))) {
        sent.add(id);
      }
    }
  }

  private void fireNextTimer() {
    timers.remove().run();
  }

  @Test
  void without_a_notice_every_request_goes_out_at_once() {
    ask("a", "b", "c");

    assertThat(sent).containsExactly("a", "b", "c");
    assertThat(timers).isEmpty();
  }

  @Test
  void after_a_notice_the_unanswered_go_again_one_per_interval_oldest_first_and_new_ones_wait_their_turn() {
    ask("a", "b", "c");
    pacer.forget("b");
    sent.clear();

    pacer.rateLimited(20);
    ask("d");
    assertThat(sent).as("nothing before retry_after_ms; d is queued").isEmpty();

    fireNextTimer();
    fireNextTimer();
    fireNextTimer();
    assertThat(sent).containsExactly("a", "c", "d");
    assertThat(delays).as("retry_after_ms, then the interval after each resend").containsExactly(20L, 20L, 20L, 20L);

    fireNextTimer();
    assertThat(pacer.pacing()).as("the queue is empty").isFalse();
    assertThat(timers).isEmpty();
    ask("e");
    assertThat(sent).endsWith("e");
  }

  @Test
  void a_request_answered_while_queued_is_not_sent_again() {
    ask("a", "b");
    sent.clear();
    pacer.rateLimited(5);
    pacer.forget("a");

    fireNextTimer();

    assertThat(sent).containsExactly("b");
  }

  @Test
  void a_notice_while_pacing_doubles_the_interval_and_queues_every_unanswered_request_again() {
    ask("a", "b", "c");
    sent.clear();
    pacer.rateLimited(10);
    fireNextTimer(); // a
    fireNextTimer(); // b

    pacer.rateLimited(3); // the pace was too fast: a or b may have been dropped
    assertThat(pacer.intervalMs()).isEqualTo(20);
    assertThat(timers).as("the tick already scheduled carries on; no second one").hasSize(1);
    fireNextTimer();
    fireNextTimer();
    fireNextTimer();

    assertThat(sent).containsExactly("a", "b", "a", "b", "c");
    assertThat(delays).endsWith(20L, 20L);
  }

  @Test
  void the_interval_never_grows_past_its_bound() {
    ask("a");
    pacer.rateLimited(1);
    for (int i = 0; i < 20; i++) {
      pacer.rateLimited(1);
    }

    assertThat(pacer.intervalMs()).isEqualTo(ResendPacer.MAX_INTERVAL_MS);
  }

  @Test
  void a_failing_send_ends_the_pacing() {
    ResendPacer failing = new ResendPacer((delay, task) -> timers.add(task), packet -> {
      throw new IllegalStateException("exhausted");
    });
    failing.admit("a", request("a"));
    failing.admit("b", request("b"));
    failing.rateLimited(5);

    fireNextTimer();

    assertThat(failing.pacing()).isFalse();
    assertThat(timers).isEmpty();
    assertThat(failing.admit("c", request("c"))).isTrue();
  }
}
