package io.parley.message.store;

import static io.parley.testing.Futures.await;
import static io.parley.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.MessageVerticle;
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
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The group commit on one event loop, as in the message service. Batch boundaries, back-pressure and
 * what callers see are tested with a writer whose answers the test holds, so "while a batch is being
 * written" lasts exactly as long as the test wants; sequence numbers and a failing batch's rollback
 * against real PostgreSQL.
 */
class GroupCommitTest {
  static Vertx vertx;
  static Context loop;
  static ServiceResources resources;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    ParleyConfig config = TestInfra.config(GroupCommitTest.class.getSimpleName());
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

  static EventStore.Draft draft(UUID room, String sender, UUID device) {
    return new EventStore.Draft(room, RoomEventKind.MESSAGE_SENT, sender, device, new JsonObject().put("format", "msg-text").put("content", "hi"));
  }

  static EventStore.Draft draft(UUID room) {
    return draft(room, "alice", UUID.randomUUID());
  }

  /** A writer that keeps every batch until the test answers it. */
  static final class HeldWriter implements GroupCommit.BatchWriter {
    final List<List<GroupCommit.Pending>> batches = new ArrayList<>();
    final List<Promise<Map<UUID, Long>>> answers = new ArrayList<>();
    /** For each batch, whether every caller of the batches before it had its answer when it was written. */
    final List<Boolean> earlierCallersAnswered = new ArrayList<>();
    final List<Future<RoomEvent>> appended = new ArrayList<>();

    @Override
    public Future<Map<UUID, Long>> write(List<GroupCommit.Pending> batch) {
      earlierCallersAnswered.add(appended.stream().limit(written()).allMatch(Future::isComplete));
      batches.add(List.copyOf(batch));
      Promise<Map<UUID, Long>> answer = Promise.promise();
      answers.add(answer);
      return answer.future();
    }

    int written() {
      return batches.stream().mapToInt(List::size).sum();
    }

    /** Commits batch {@code index}, giving every event in it the seq {@code seq}. */
    void commit(int index, long seq) {
      Map<UUID, Long> seqs = new HashMap<>();
      batches.get(index).forEach(pending -> seqs.put(pending.id(), seq));
      answers.get(index).complete(seqs);
    }

    List<UUID> rooms(int index) {
      return batches.get(index).stream().map(pending -> pending.draft().room()).toList();
    }
  }

  /** Appends on the loop and keeps the caller's future in arrival order. */
  static Future<RoomEvent> append(GroupCommit commit, HeldWriter writer, EventStore.Draft draft, String requestId) {
    Future<RoomEvent> future = commit.append(draft, requestId);
    writer.appended.add(future);
    return future;
  }

  @Test
  void an_append_with_nothing_in_flight_is_written_at_once_and_alone() {
    HeldWriter writer = new HeldWriter();
    GroupCommit commit = new GroupCommit(writer);
    UUID room = UUID.randomUUID();

    Future<RoomEvent> first = onLoop(() -> append(commit, writer, draft(room), null));

    assertThat(onLoop(() -> writer.rooms(0))).containsExactly(room);
    onLoop(() -> {
      writer.commit(0, 7);
      return null;
    });
    RoomEvent event = await(first);
    assertThat(event.seq()).isEqualTo(7);
    assertThat(event.room()).isEqualTo(room);
    assertThat(onLoop(commit::batchesWritten)).isEqualTo(1);
  }

  @Test
  void appends_arriving_while_a_batch_is_written_wait_and_go_together_in_the_next_one() {
    HeldWriter writer = new HeldWriter();
    GroupCommit commit = new GroupCommit(writer);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();

    onLoop(() -> append(commit, writer, draft(a), null));
    // Arrive in two separate loop turns, both while the first batch is still being written.
    Future<RoomEvent> second = onLoop(() -> append(commit, writer, draft(b), null));
    Future<RoomEvent> third = onLoop(() -> append(commit, writer, draft(c), null));
    assertThat(onLoop(() -> writer.batches.size())).as("nothing written while a batch is in flight").isEqualTo(1);
    assertThat(second.isComplete()).isFalse();

    onLoop(() -> {
      writer.commit(0, 1);
      return null;
    });
    assertThat(onLoop(() -> writer.rooms(1))).containsExactly(b, c);
    onLoop(() -> {
      writer.commit(1, 1);
      return null;
    });
    assertThat(await(second).room()).isEqualTo(b);
    assertThat(await(third).room()).isEqualTo(c);
    assertThat(onLoop(() -> writer.earlierCallersAnswered)).as("a batch's callers are answered before the next batch is written")
        .containsOnly(true);
  }

  @Test
  void a_batch_holds_one_event_per_room_and_at_most_max_batch_events_and_a_rooms_events_keep_their_order() {
    HeldWriter writer = new HeldWriter();
    GroupCommit commit = new GroupCommit(writer);
    UUID busy = UUID.randomUUID();
    List<UUID> others = new ArrayList<>();
    for (int i = 0; i < GroupCommit.MAX_BATCH; i++) {
      others.add(UUID.randomUUID());
    }

    onLoop(() -> {
      append(commit, writer, draft(UUID.randomUUID()), null);
      append(commit, writer, draft(busy), null);
      others.forEach(room -> append(commit, writer, draft(room), null));
      append(commit, writer, draft(busy), null);
      return null;
    });
    onLoop(() -> {
      writer.commit(0, 1);
      return null;
    });

    List<UUID> second = onLoop(() -> writer.rooms(1));
    assertThat(second).hasSize(GroupCommit.MAX_BATCH);
    assertThat(second.get(0)).isEqualTo(busy);
    assertThat(second).containsAll(others.subList(0, GroupCommit.MAX_BATCH - 1));
    onLoop(() -> {
      writer.commit(1, 1);
      return null;
    });
    // The last of the others (over the size limit) and the busy room's second event (its room was taken).
    assertThat(onLoop(() -> writer.rooms(2))).containsExactly(others.get(GroupCommit.MAX_BATCH - 1), busy);
    onLoop(() -> {
      writer.commit(2, 2);
      return null;
    });
    assertThat(onLoop(() -> writer.batches.size())).isEqualTo(3);
    assertThat(await(Future.all(writer.appended)).succeeded()).isTrue();
  }

  @Test
  void one_request_goes_once_per_batch_while_another_devices_same_request_id_goes_along() {
    HeldWriter writer = new HeldWriter();
    GroupCommit commit = new GroupCommit(writer);
    UUID device = UUID.randomUUID();
    UUID otherDevice = UUID.randomUUID();

    onLoop(() -> {
      append(commit, writer, draft(UUID.randomUUID()), null);
      append(commit, writer, draft(UUID.randomUUID(), "alice", device), "req-1");
      append(commit, writer, draft(UUID.randomUUID(), "alice", otherDevice), "req-1");
      append(commit, writer, draft(UUID.randomUUID(), "alice", device), "req-1");
      return null;
    });
    onLoop(() -> {
      writer.commit(0, 1);
      return null;
    });

    assertThat(onLoop(() -> writer.batches.get(1))).extracting(pending -> pending.draft().senderDevice())
        .containsExactly(device, otherDevice);
    onLoop(() -> {
      writer.commit(1, 1);
      return null;
    });
    assertThat(onLoop(() -> writer.batches.get(2))).extracting(pending -> pending.draft().senderDevice()).containsExactly(device);
    // The writer found the request already recorded: no seq, and the caller is told so with null.
    onLoop(() -> writer.answers.get(2).tryComplete(Map.of()));
    assertThat(await(writer.appended.get(3))).isNull();
  }

  @Test
  void every_caller_of_a_failing_batch_sees_its_failure_and_the_next_batch_is_still_written() {
    HeldWriter writer = new HeldWriter();
    GroupCommit commit = new GroupCommit(writer);
    UUID room = UUID.randomUUID();
    RuntimeException lost = new IllegalStateException("connection lost");

    onLoop(() -> {
      append(commit, writer, draft(UUID.randomUUID()), null);
      append(commit, writer, draft(room), null);
      append(commit, writer, draft(UUID.randomUUID()), null);
      append(commit, writer, draft(room), null);
      return null;
    });
    onLoop(() -> {
      writer.commit(0, 1);
      return null;
    });
    onLoop(() -> writer.answers.get(1).tryFail(lost));

    assertThat(awaitFailure(writer.appended.get(1))).isSameAs(lost);
    assertThat(awaitFailure(writer.appended.get(2))).isSameAs(lost);
    assertThat(onLoop(() -> writer.rooms(2))).containsExactly(room);
    onLoop(() -> {
      writer.commit(2, 1);
      return null;
    });
    assertThat(await(writer.appended.get(3)).seq()).isEqualTo(1);

    // Idle again: the next append is written at once.
    onLoop(() -> append(commit, writer, draft(room), null));
    assertThat(onLoop(() -> writer.batches.size())).isEqualTo(4);
  }

  @Test
  void against_postgres_a_rooms_events_queued_together_take_sequence_numbers_in_arrival_order() {
    GroupCommit commit = new GroupCommit(resources.pool());
    UUID busy = UUID.randomUUID();
    List<Future<RoomEvent>> busyEvents = new ArrayList<>();
    List<Future<RoomEvent>> all = new ArrayList<>();

    onLoop(() -> {
      for (int i = 0; i < 5; i++) {
        Future<RoomEvent> event = commit.append(draft(busy), null);
        busyEvents.add(event);
        all.add(event);
        all.add(commit.append(draft(UUID.randomUUID()), null));
      }
      return null;
    });
    await(Future.all(all));

    assertThat(busyEvents).extracting(f -> f.result().seq()).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(all).allMatch(f -> f.result().room().equals(busy) || f.result().seq() == 1);
    // The first alone, then one batch per further event of the busy room; the other rooms ride along.
    assertThat(onLoop(commit::batchesWritten)).isEqualTo(5);
  }

  @Test
  void against_postgres_a_failing_batch_rolls_back_whole_and_the_rooms_next_event_still_gets_seq_one() {
    GroupCommit commit = new GroupCommit(resources.pool());
    UUID room = UUID.randomUUID();
    UUID alongside = UUID.randomUUID();
    AtomicLong before = new AtomicLong();
    List<Future<RoomEvent>> appends = new ArrayList<>();

    onLoop(() -> {
      before.set(commit.batchesWritten());
      appends.add(commit.append(draft(UUID.randomUUID()), null));
      // jsonb refuses the NUL character, so the whole second batch fails in PostgreSQL.
      appends.add(commit.append(new EventStore.Draft(room, RoomEventKind.MESSAGE_SENT, "alice", UUID.randomUUID(),
          new JsonObject().put("content", "nul\u0000")), null));
      appends.add(commit.append(draft(alongside), null));
      appends.add(commit.append(draft(room), null));
      return null;
    });

    assertThat(await(appends.get(0)).seq()).isEqualTo(1);
    assertThat(awaitFailure(appends.get(1))).isInstanceOf(PgException.class);
    assertThat(awaitFailure(appends.get(2))).as("rides in the failing batch").isInstanceOf(PgException.class);
    assertThat(await(appends.get(3)).seq()).as("the failed batch's room head was rolled back").isEqualTo(1);
    assertThat(onLoop(commit::batchesWritten) - before.get()).isEqualTo(3);
  }
}
