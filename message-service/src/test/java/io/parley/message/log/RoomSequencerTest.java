package io.parley.message.log;

import static io.parley.testing.Futures.await;
import static io.parley.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.MessageVerticle;
import io.parley.message.store.EventStore;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.infra.ServiceResources;
import io.parley.testing.TestInfra;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The room sequencer on one event loop, as in the message service: appends whose completion the test
 * controls show what waits for what; real appends to PostgreSQL show that a room's callers hear back
 * in sequence order.
 */
class RoomSequencerTest {
  static Vertx vertx;
  static Context loop;
  static ServiceResources resources;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    ParleyConfig config = TestInfra.config(RoomSequencerTest.class.getSimpleName());
    resources = await(ParleyInfra.open(vertx, config, MessageVerticle.SCHEMA));
  }

  @AfterAll
  static void close() {
    await(resources.close());
    await(vertx.close());
  }

  static <T> T onLoop(Supplier<T> work) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> result.complete(work.get()));
    return await(result.future());
  }

  /** Appends that start when the sequencer lets them and finish when the test says. */
  static final class HeldAppends {
    final List<String> started = new ArrayList<>();
    final List<Promise<String>> running = new ArrayList<>();
    final List<String> answered = new ArrayList<>();

    Future<String> enqueue(RoomSequencer sequencer, UUID room, String name) {
      Future<String> result = sequencer.inOrder(room, () -> {
        started.add(name);
        Promise<String> append = Promise.promise();
        running.add(append);
        return append.future();
      });
      result.onComplete(done -> answered.add(name));
      return result;
    }

    boolean finish(int index) {
      return running.get(index).tryComplete(started.get(index));
    }
  }

  @Test
  void a_rooms_append_starts_only_after_the_previous_one_finished_and_callers_hear_back_in_order() {
    RoomSequencer sequencer = new RoomSequencer();
    HeldAppends appends = new HeldAppends();
    UUID room = UUID.randomUUID();

    List<Future<String>> results = onLoop(() -> List.of(
        appends.enqueue(sequencer, room, "first"),
        appends.enqueue(sequencer, room, "second"),
        appends.enqueue(sequencer, room, "third")));
    assertThat(onLoop(() -> List.copyOf(appends.started))).containsExactly("first");

    onLoop(() -> appends.finish(0));
    assertThat(onLoop(() -> List.copyOf(appends.started))).containsExactly("first", "second");
    onLoop(() -> appends.finish(1));
    onLoop(() -> appends.finish(2));

    assertThat(await(results.get(2))).isEqualTo("third");
    assertThat(onLoop(() -> List.copyOf(appends.answered))).containsExactly("first", "second", "third");
    assertThat(onLoop(sequencer::roomsInFlight)).isZero();
  }

  @Test
  void a_failed_append_fails_its_own_caller_only_and_the_next_one_runs() {
    RoomSequencer sequencer = new RoomSequencer();
    HeldAppends appends = new HeldAppends();
    UUID room = UUID.randomUUID();
    RuntimeException refused = new IllegalStateException("database refused");

    List<Future<String>> results = onLoop(() -> List.of(
        appends.enqueue(sequencer, room, "failing"),
        appends.enqueue(sequencer, room, "next")));
    onLoop(() -> appends.running.get(0).tryFail(refused));
    onLoop(() -> appends.finish(1));

    assertThat(awaitFailure(results.get(0))).isSameAs(refused);
    assertThat(await(results.get(1))).isEqualTo("next");
    assertThat(onLoop(sequencer::roomsInFlight)).isZero();
  }

  @Test
  void an_append_that_throws_instead_of_failing_its_future_does_not_block_the_room() {
    RoomSequencer sequencer = new RoomSequencer();
    UUID room = UUID.randomUUID();
    RuntimeException bug = new IllegalArgumentException("bad draft");

    List<Future<String>> results = onLoop(() -> List.of(
        sequencer.<String>inOrder(room, () -> {
          throw bug;
        }),
        sequencer.inOrder(room, () -> Future.succeededFuture("after"))));

    assertThat(awaitFailure(results.get(0))).isSameAs(bug);
    assertThat(await(results.get(1))).isEqualTo("after");
  }

  @Test
  void rooms_do_not_wait_for_each_other() {
    RoomSequencer sequencer = new RoomSequencer();
    HeldAppends appends = new HeldAppends();
    UUID slow = UUID.randomUUID();
    UUID quick = UUID.randomUUID();

    Future<String> quickResult = onLoop(() -> {
      appends.enqueue(sequencer, slow, "slow");
      return appends.enqueue(sequencer, quick, "quick");
    });
    assertThat(onLoop(() -> List.copyOf(appends.started))).containsExactly("slow", "quick");
    assertThat(onLoop(sequencer::roomsInFlight)).isEqualTo(2);

    onLoop(() -> appends.finish(1));
    assertThat(await(quickResult)).isEqualTo("quick");
    assertThat(onLoop(() -> List.copyOf(appends.answered))).containsExactly("quick");
    onLoop(() -> appends.finish(0));
    assertThat(onLoop(() -> List.copyOf(appends.answered))).containsExactly("quick", "slow");
  }

  static EventStore.Draft draft(UUID room, int i) {
    return new EventStore.Draft(room, RoomEventKind.MESSAGE_SENT, "alice", UUID.randomUUID(),
        new JsonObject().put("format", "msg-text").put("content", "m" + i));
  }

  @Test
  void concurrent_appends_to_postgres_answer_a_rooms_callers_in_sequence_order() {
    RoomSequencer sequencer = new RoomSequencer();
    EventStore events = new EventStore(resources.pool());
    UUID room = UUID.randomUUID();
    List<Long> answeredSeqs = new ArrayList<>();
    List<Future<RoomEvent>> appends = new ArrayList<>();

    onLoop(() -> {
      for (int i = 0; i < 20; i++) {
        EventStore.Draft draft = draft(room, i);
        // A plain append takes any free pool connection, so without the sequencer these could finish out of order.
        Future<RoomEvent> append = sequencer.inOrder(room, () -> events.appendEvent(draft));
        append.onSuccess(event -> answeredSeqs.add(event.seq()));
        appends.add(append);
        // Another room's appends in between, which must not be held up by this one.
        EventStore.Draft elsewhere = draft(UUID.randomUUID(), i);
        appends.add(sequencer.inOrder(elsewhere.room(), () -> events.appendEvent(elsewhere)));
      }
      return null;
    });
    await(Future.all(appends));

    assertThat(onLoop(() -> List.copyOf(answeredSeqs))).containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
    assertThat(onLoop(sequencer::roomsInFlight)).isZero();
  }
}
