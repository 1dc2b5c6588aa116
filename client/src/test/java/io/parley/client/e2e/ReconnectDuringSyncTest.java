package io.parley.client.e2e;

import static io.parley.client.e2e.ParleyChat.ConnectionState.CONNECTED;
import static io.parley.client.e2e.ParleyChat.ConnectionState.DISCONNECTED;
import static io.parley.client.e2e.ParleyChat.ConnectionState.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Messages;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The supervisor and the timeline together, as the chat wires them: the connection drops while the
 * resume's catch-up is between two SYNC_ROOM_REQ pages, and the next resume delivers the rest —
 * every event once, in order.
 */
class ReconnectDuringSyncTest {
  static final UUID ROOM = UUID.randomUUID();

  final List<RoomEvent> log = new ArrayList<>();
  final List<ChatEvent> delivered = new ArrayList<>();
  final List<ParleyChat.ConnectionState> states = new ArrayList<>();
  final Queue<Runnable> timers = new ArrayDeque<>();
  final List<ConnectionSupervisorTest.FakeConnection> dialed = new ArrayList<>();
  /** The page number (from 1, over the whole test) during which the connection drops. */
  int dropAtPage = -1;
  int pages;

  RoomEvent event(long seq) {
    return new RoomEvent(new UUID(1, seq), ROOM, seq, RoomEventKind.MESSAGE_PINNED, "alice", UUID.randomUUID(), Instant.EPOCH,
        new JsonObject());
  }

  ConnectionSupervisorTest.FakeConnection current() {
    return dialed.get(dialed.size() - 1);
  }

  /** SYNC_ROOM_REQ on the current connection; at {@link #dropAtPage} the connection ends instead of answering. */
  Future<Messages.Page> after(UUID room, UUID from, int count) {
    if (++pages == dropAtPage) {
      current().drop();
      return Future.failedFuture(new IllegalStateException("connection closed"));
    }
    int start = (int) from.getLeastSignificantBits();
    int end = Math.min(log.size(), start + count);
    return Future.succeededFuture(new Messages.Page(room, List.copyOf(log.subList(start, end)), end < log.size()));
  }

  final RoomTimeline timeline = new RoomTimeline(Map.of(ROOM, new ChatHome.Cursor(1, new UUID(1, 1))), this::after,
      event -> Future.succeededFuture(new ChatEvent(event, null)), delivered::add, (room, cursor) -> {});

  final ConnectionSupervisor<ConnectionSupervisorTest.FakeConnection> supervisor = new ConnectionSupervisor<>(
      new ConnectionSupervisor.Line<>() {
        @Override
        public Future<ConnectionSupervisorTest.FakeConnection> dial() {
          dialed.add(new ConnectionSupervisorTest.FakeConnection(dialed.size() + 1));
          return Future.succeededFuture(current());
        }

        @Override
        public Future<Boolean> resume(ConnectionSupervisorTest.FakeConnection connection) {
          return Future.succeededFuture(true);
        }

        @Override
        public Future<Void> catchUp() {
          return timeline.syncAll(List.of(ROOM));
        }

        @Override
        public Future<?> closed(ConnectionSupervisorTest.FakeConnection connection) {
          return connection.closed.future();
        }

        @Override
        public Future<Void> hangUp(ConnectionSupervisorTest.FakeConnection connection) {
          connection.drop();
          return Future.succeededFuture();
        }

        @Override
        public boolean mayReconnect() {
          return true;
        }
      },
      (delayMs, action) -> timers.add(action), states::add, warning -> {});

  @Test
  void a_connection_lost_between_two_pages_of_the_catch_up_loses_and_repeats_nothing() {
    int page = RoomTimeline.SYNC_PAGE;
    for (long seq = 1; seq <= 2L * page + 50; seq++) {
      log.add(event(seq));
    }
    dropAtPage = 2;
    Future<ConnectionSupervisorTest.FakeConnection> connect = supervisor.connect();
    assertThat(connect.failed()).as("connect completes with its catch-up, which was cut short").isTrue();
    assertThat(delivered).extracting(ChatEvent::seq).isEqualTo(LongStream.rangeClosed(2, page + 1).boxed().toList());
    assertThat(states).containsExactly(CONNECTED, DISCONNECTED);

    // Meanwhile the room grows; the reconnect's catch-up starts from the cursor.
    for (long seq = 2L * page + 51; seq <= 2L * page + 60; seq++) {
      log.add(event(seq));
    }
    timers.remove().run();
    assertThat(states).containsExactly(CONNECTED, DISCONNECTED, RECONNECTING, CONNECTED);
    assertThat(delivered).extracting(ChatEvent::seq).isEqualTo(LongStream.rangeClosed(2, 2L * page + 60).boxed().toList());
    assertThat(timers).isEmpty();
  }
}
