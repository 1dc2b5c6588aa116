package io.parley.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Messages;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Ordered, exactly-once delivery against an in-memory room log. The timeline runs on one thread by
 * contract; here that is the test's, and the test completes the sync replies itself, so every
 * interleaving below is exact.
 */
class RoomTimelineTest {
  static final UUID ROOM = UUID.randomUUID();
  static final UUID OTHER_ROOM = UUID.randomUUID();
  static final UUID SENDER_DEVICE = UUID.randomUUID();

  /** The server's log of each room: seq n at index n - 1. */
  final Map<UUID, List<RoomEvent>> logs = new HashMap<>();
  /** The SYNC_ROOM_REQ pages asked for: "from-seq:count" (from-seq 0 for null). */
  final List<String> syncs = new ArrayList<>();
  /** When set, sync replies wait here until the test completes them. */
  boolean holdSyncs;
  final Queue<Runnable> heldSyncs = new ArrayDeque<>();
  /** Sync requests to fail, counted from now: 0 fails the next one. */
  int failSyncAfter = -1;
  final Set<Long> unopenable = new HashSet<>();
  final List<ChatEvent> delivered = new ArrayList<>();
  final Map<UUID, ChatHome.Cursor> savedCursors = new HashMap<>();

  RoomEvent event(UUID room, long seq) {
    return new RoomEvent(new UUID(room.getMostSignificantBits(), seq), room, seq, RoomEventKind.MESSAGE_PINNED, "alice",
        SENDER_DEVICE, Instant.EPOCH, new JsonObject());
  }

  RoomEvent event(long seq) {
    return event(ROOM, seq);
  }

  /** The server's log of {@code room} grows to {@code seq}. */
  void logUpTo(UUID room, long seq) {
    List<RoomEvent> log = logs.computeIfAbsent(room, r -> new ArrayList<>());
    for (long s = log.size() + 1; s <= seq; s++) {
      log.add(event(room, s));
    }
  }

  Future<Messages.Page> after(UUID room, UUID from, int count) {
    List<RoomEvent> log = logs.getOrDefault(room, List.of());
    int start;
    int end;
    if (from == null) {
      end = log.size();
      start = Math.max(0, end - count);
    } else {
      start = (int) from.getLeastSignificantBits(); // the seq of "from" = the index after it
      end = Math.min(log.size(), start + count);
    }
    syncs.add((from == null ? 0 : from.getLeastSignificantBits()) + ":" + count);
    boolean more = from == null ? start > 0 : end < log.size();
    Messages.Page page = new Messages.Page(room, List.copyOf(log.subList(start, end)), more);
    if (failSyncAfter == 0) {
      failSyncAfter = -1;
      return Future.failedFuture(new IllegalStateException("connection closed"));
    }
    if (failSyncAfter > 0) {
      failSyncAfter--;
    }
    if (!holdSyncs) {
      return Future.succeededFuture(page);
    }
    Promise<Messages.Page> reply = Promise.promise();
    heldSyncs.add(() -> reply.complete(page));
    return reply.future();
  }

  Future<ChatEvent> open(RoomEvent event) {
    if (unopenable.remove(event.seq())) {
      return Future.failedFuture(new IllegalStateException("the key directory could not be read"));
    }
    return Future.succeededFuture(new ChatEvent(event, null));
  }

  RoomTimeline timeline() {
    return new RoomTimeline(Map.copyOf(savedCursors), this::after, this::open, delivered::add, savedCursors::put);
  }

  /** A timeline that has delivered up to {@code seq} of ROOM before (a restart). */
  RoomTimeline timelineAt(long seq) {
    savedCursors.put(ROOM, new ChatHome.Cursor(seq, event(seq).id()));
    return timeline();
  }

  List<Long> deliveredSeqs(UUID room) {
    return delivered.stream().filter(e -> e.room().equals(room)).map(ChatEvent::seq).toList();
  }

  List<Long> deliveredSeqs() {
    return deliveredSeqs(ROOM);
  }

  static List<Long> seqs(long first, long last) {
    return LongStream.rangeClosed(first, last).boxed().toList();
  }

  @Test
  void events_in_order_are_delivered_once_each_and_move_the_saved_cursor() {
    RoomTimeline timeline = timeline();
    logUpTo(ROOM, 3);
    for (long seq = 1; seq <= 3; seq++) {
      assertThat(timeline.accept(event(seq)).succeeded()).isTrue();
    }
    assertThat(deliveredSeqs()).containsExactly(1L, 2L, 3L);
    assertThat(syncs).isEmpty();
    assertThat(savedCursors.get(ROOM)).isEqualTo(new ChatHome.Cursor(3, event(3).id()));
    assertThat(timeline.cursor(ROOM)).isEqualTo(savedCursors.get(ROOM));
  }

  @Test
  void a_duplicate_push_and_pushes_at_or_below_the_cursor_are_dropped() {
    logUpTo(ROOM, 6);
    RoomTimeline timeline = timelineAt(5);
    timeline.accept(event(5));
    timeline.accept(event(3));
    timeline.accept(event(6));
    timeline.accept(event(6));
    timeline.accept(event(4));
    assertThat(deliveredSeqs()).containsExactly(6L);
    assertThat(syncs).isEmpty();
  }

  @Test
  void a_gap_is_filled_from_the_log_and_the_late_pushes_of_the_gap_are_dropped() {
    logUpTo(ROOM, 5);
    RoomTimeline timeline = timelineAt(2);
    timeline.accept(event(5));
    assertThat(deliveredSeqs()).containsExactly(3L, 4L, 5L);
    assertThat(syncs).containsExactly("2:" + RoomTimeline.SYNC_PAGE);
    timeline.accept(event(3));
    timeline.accept(event(4));
    assertThat(deliveredSeqs()).containsExactly(3L, 4L, 5L);
  }

  @Test
  void pushes_that_arrive_out_of_order_are_delivered_in_seq_order() {
    logUpTo(ROOM, 3);
    RoomTimeline timeline = timelineAt(1);
    holdSyncs = true;
    timeline.accept(event(3)); // ahead of 2: a catch-up starts, its reply still on the way
    timeline.accept(event(2)); // arrives meanwhile: it waits behind the catch-up
    assertThat(delivered).isEmpty();
    heldSyncs.remove().run();
    assertThat(deliveredSeqs()).containsExactly(2L, 3L);
    assertThat(heldSyncs).isEmpty();
  }

  @Test
  void a_gap_the_log_does_not_fill_yet_still_delivers_the_event_once_it_follows() {
    logUpTo(ROOM, 3); // the pushed 4 is not served by sync yet (a lagging replica)
    RoomTimeline timeline = timelineAt(2);
    timeline.accept(event(4));
    assertThat(deliveredSeqs()).containsExactly(3L, 4L);
  }

  @Test
  void the_first_event_of_a_new_room_is_delivered_without_a_sync() {
    logUpTo(ROOM, 1);
    RoomTimeline timeline = timeline();
    timeline.accept(event(1));
    assertThat(deliveredSeqs()).containsExactly(1L);
    assertThat(syncs).isEmpty();
  }

  @Test
  void a_room_with_history_seen_for_the_first_time_starts_with_its_latest_page_only() {
    logUpTo(ROOM, 80);
    RoomTimeline timeline = timeline();
    timeline.accept(event(80));
    assertThat(deliveredSeqs()).isEqualTo(seqs(80 - RoomTimeline.FIRST_SIGHT_PAGE + 1, 80));
    assertThat(syncs).containsExactly("0:" + RoomTimeline.FIRST_SIGHT_PAGE);
    logUpTo(ROOM, 81);
    timeline.accept(event(81));
    assertThat(deliveredSeqs()).endsWith(80L, 81L).doesNotHaveDuplicates();
  }

  @Test
  void catching_up_pages_through_the_log_from_the_cursor() {
    int page = RoomTimeline.SYNC_PAGE;
    logUpTo(ROOM, 2 * page + 51);
    RoomTimeline timeline = timelineAt(1);
    assertThat(timeline.sync(ROOM).succeeded()).isTrue();
    assertThat(deliveredSeqs()).isEqualTo(seqs(2, 2 * page + 51));
    assertThat(syncs).containsExactly("1:" + page, (page + 1) + ":" + page, (2 * page + 1) + ":" + page);
    assertThat(savedCursors.get(ROOM).seq()).isEqualTo(2 * page + 51);
  }

  @Test
  void a_connection_lost_in_the_middle_of_a_sync_loses_nothing_and_repeats_nothing() {
    int page = RoomTimeline.SYNC_PAGE;
    logUpTo(ROOM, page + 101);
    RoomTimeline timeline = timelineAt(1);
    failSyncAfter = 1; // the first page arrives, then the connection drops
    assertThat(timeline.sync(ROOM).failed()).isTrue();
    assertThat(deliveredSeqs()).isEqualTo(seqs(2, page + 1));
    assertThat(savedCursors.get(ROOM).seq()).isEqualTo(page + 1);

    // Reconnected: a push of a new event and the resume's catch-up cross each other.
    logUpTo(ROOM, page + 102);
    holdSyncs = true;
    timeline.accept(event(page + 102));
    Future<Void> resumed = timeline.sync(ROOM);
    while (!heldSyncs.isEmpty()) {
      heldSyncs.remove().run();
    }
    assertThat(resumed.succeeded()).isTrue();
    assertThat(deliveredSeqs()).isEqualTo(seqs(2, page + 102));
  }

  @Test
  void an_event_that_cannot_be_opened_yet_is_not_skipped() {
    logUpTo(ROOM, 3);
    RoomTimeline timeline = timelineAt(1);
    unopenable.add(2L);
    assertThat(timeline.accept(event(2)).failed()).isTrue();
    assertThat(delivered).isEmpty();
    assertThat(savedCursors.get(ROOM).seq()).isEqualTo(1);
    timeline.accept(event(3));
    assertThat(deliveredSeqs()).containsExactly(2L, 3L);
  }

  @Test
  void a_listener_that_throws_does_not_stop_delivery() {
    logUpTo(ROOM, 2);
    RoomTimeline timeline = new RoomTimeline(Map.of(), this::after, this::open, event -> {
      delivered.add(event);
      throw new IllegalStateException("a careless listener");
    }, savedCursors::put);
    timeline.accept(event(1));
    timeline.accept(event(2));
    assertThat(deliveredSeqs()).containsExactly(1L, 2L);
    assertThat(savedCursors.get(ROOM).seq()).isEqualTo(2);
  }

  @Test
  void a_room_waiting_for_its_sync_does_not_hold_up_another_room() {
    logUpTo(ROOM, 3);
    logUpTo(OTHER_ROOM, 1);
    RoomTimeline timeline = timelineAt(1);
    holdSyncs = true;
    timeline.accept(event(3));
    timeline.accept(event(OTHER_ROOM, 1));
    assertThat(deliveredSeqs(OTHER_ROOM)).containsExactly(1L);
    assertThat(deliveredSeqs()).isEmpty();
    heldSyncs.remove().run();
    assertThat(deliveredSeqs()).containsExactly(2L, 3L);
  }

  @Test
  void sync_all_catches_up_every_listed_room() {
    logUpTo(ROOM, 4);
    logUpTo(OTHER_ROOM, 2);
    RoomTimeline timeline = timelineAt(2);
    assertThat(timeline.syncAll(List.of(ROOM, OTHER_ROOM)).succeeded()).isTrue();
    assertThat(deliveredSeqs()).containsExactly(3L, 4L);
    assertThat(deliveredSeqs(OTHER_ROOM)).containsExactly(1L, 2L); // no cursor: its latest page
  }
}
