package io.parley.message.store;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.MessageVerticle;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.infra.ServiceResources;
import io.parley.testing.MigrationIndex;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The event log's storage rules against real PostgreSQL. */
class EventStoreTest {
  static Vertx vertx;
  static ServiceResources resources;
  static EventStore events;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    ParleyConfig config = TestInfra.config(EventStoreTest.class.getSimpleName());
    resources = await(ParleyInfra.open(vertx, config, MessageVerticle.SCHEMA));
    events = new EventStore(resources.pool());
  }

  @AfterAll
  static void close() {
    await(resources.close());
    await(vertx.close());
  }

  /**
   * Runs {@code work} on one event loop, as the message service does: the store's group commit is
   * confined to its verticle's loop.
   */
  static <T> T onLoop(java.util.function.Supplier<Future<T>> work) {
    io.vertx.core.Promise<T> result = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(result));
    return await(result.future());
  }

  static EventStore.Draft message(UUID room, UUID device, String content) {
    return new EventStore.Draft(room, RoomEventKind.MESSAGE_SENT, "alice", device, new JsonObject().put("format", "msg-text").put("content", content));
  }

  @Test
  void concurrent_appends_to_one_room_get_gapless_distinct_sequence_numbers() {
    UUID room = UUID.randomUUID();
    List<Future<RoomEvent>> appends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      appends.add(events.appendEvent(message(room, UUID.randomUUID(), "m" + i)));
    }
    await(Future.all(appends));

    List<Long> seqs = appends.stream().map(f -> f.result().seq()).sorted().toList();
    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
  }

  @Test
  void a_request_id_is_stored_once_per_device_even_when_retried_concurrently() {
    UUID room = UUID.randomUUID();
    UUID device = UUID.randomUUID();
    List<Future<EventStore.Appended>> attempts = new ArrayList<>();
    onLoop(() -> {
      for (int i = 0; i < 5; i++) {
        attempts.add(events.appendOnce(message(room, device, "once"), "req-1", null));
      }
      return Future.all(attempts);
    });

    assertThat(attempts.stream().map(f -> f.result().event().id()).distinct()).hasSize(1);
    assertThat(attempts.stream().filter(f -> f.result().fresh())).hasSize(1);
    long rows = await(resources.pool().preparedQuery("SELECT count(*) FROM events WHERE room_id = $1").execute(Tuple.of(room)))
        .iterator().next().getLong(0);
    assertThat(rows).isEqualTo(1);
    // Another device may use the same request id for its own message.
    RoomEvent other = onLoop(() -> events.appendOnce(message(room, UUID.randomUUID(), "twice"), "req-1", null)).event();
    assertThat(other.id()).isNotEqualTo(attempts.get(0).result().event().id());
  }

  @Test
  void appends_to_many_rooms_arriving_together_commit_in_a_few_batches() {
    EventStore store = new EventStore(resources.pool());
    List<Future<EventStore.Appended>> appends = new ArrayList<>();
    onLoop(() -> {
      for (int i = 0; i < 200; i++) {
        appends.add(store.appendOnce(message(UUID.randomUUID(), UUID.randomUUID(), "g" + i), "group-" + i, null));
      }
      return Future.all(appends);
    });

    assertThat(appends).allMatch(f -> f.result().fresh() && f.result().event().seq() == 1);
    // The first goes alone; the rest queue behind it and share the next commits.
    assertThat(store.batchesWritten()).isLessThan(10);
  }

  @Test
  void request_records_past_their_retention_are_purged_and_recent_ones_kept() {
    UUID device = UUID.randomUUID();
    UUID room = UUID.randomUUID();
    onLoop(() -> events.appendOnce(message(room, device, "recent"), "recent", null));
    onLoop(() -> events.appendOnce(message(room, device, "old"), "old", null));
    await(resources.pool().preparedQuery("UPDATE requests SET created_at = now() - interval '8 days' WHERE device_id = $1 AND request_id = 'old'")
        .execute(Tuple.of(device)));

    int purged = await(events.purgeRequestsOlderThan(Duration.ofDays(7)));

    assertThat(purged).isGreaterThanOrEqualTo(1);
    assertThat(await(events.priorResult("alice", device, "old"))).isEmpty();
    assertThat(await(events.priorResult("alice", device, "recent"))).isPresent();
  }

  @Test
  void every_migration_file_is_in_the_index() {
    MigrationIndex.assertComplete(MessageVerticle.SCHEMA);
  }

  @Test
  void pages_run_in_sequence_order_both_ways() {
    UUID room = UUID.randomUUID();
    for (int i = 0; i < 10; i++) {
      await(events.appendEvent(message(room, UUID.randomUUID(), "p" + i)));
    }

    assertThat(await(events.eventsAfter(room, 3, 4))).extracting(RoomEvent::seq).containsExactly(4L, 5L, 6L, 7L);
    assertThat(await(events.eventsBefore(room, 8, 3))).extracting(RoomEvent::seq).containsExactly(5L, 6L, 7L);
  }
}
