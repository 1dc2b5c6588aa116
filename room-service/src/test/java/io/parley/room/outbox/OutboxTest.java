package io.parley.room.outbox;

import static io.parley.room.RoomHarness.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.room.RoomHarness;
import io.parley.room.RoomVerticle;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.Futures;
import io.parley.testing.TestInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event outbox: a room change whose events cannot be appended now is still committed with them,
 * and they reach the room's log once the message service answers again — in commit order, each
 * once, whichever of the two room-service replicas relays them.
 */
class OutboxTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration POLL_PAUSE = Duration.ofMillis(20);
  private static RoomHarness rooms;
  private static ServiceResources schema;

  @BeforeAll
  static void start() {
    // A short wait for our peers (BUS_TIMEOUT_MS / 4) so a swallowed reply times out quickly.
    ParleyConfig config = TestInfra.config(OutboxTest.class.getSimpleName()).with(ConfigKey.BUS_TIMEOUT_MS, 2000);
    rooms = RoomHarness.start(config, 2);
    schema = Futures.await(ParleyInfra.open(rooms.vertx, config, RoomVerticle.SCHEMA));
  }

  @AfterAll
  static void stop() {
    Futures.await(schema.close());
    rooms.close();
  }

  @Test
  void theBacklogCountsWhatWaitsAndHowLongTheOldestHasWaitedUntilItIsRelayed() {
    OutboxStore outbox = new OutboxStore(schema.pool());
    String owner = rooms.user("owner");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", rooms.user("member"));
    rooms.failAppends = true;
    try {
      assertOk(rooms.alter(owner, new AlterRoom.Rename(room, "One")));
      assertOk(rooms.alter(owner, new AlterRoom.Rename(room, "Two")));
      OutboxStore.Backlog waiting = Futures.await(outbox.backlog());
      assertThat(waiting.events()).isGreaterThanOrEqualTo(2);
      assertThat(waiting.oldestSeconds()).isNotNegative();
    } finally {
      rooms.failAppends = false;
    }
    awaitTrue(() -> Futures.await(outbox.backlog()).events() == 0);
    assertThat(Futures.await(outbox.backlog())).isEqualTo(new OutboxStore.Backlog(0, 0));
  }

  @Test
  void changesMadeWhileTheMessageServiceFailsReachTheLogOnceItIsBackInOrderAndOnce() {
    String owner = rooms.user("owner");
    String bob = rooms.user("bob");
    String dave = rooms.user("dave");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", bob);
    rooms.failAppends = true;
    try {
      assertOk(rooms.alter(owner, new AlterRoom.Rename(room, "Renamed while away")));
      assertOk(rooms.alter(owner, new AlterRoom.Add(room, List.of(dave))));
      assertOk(rooms.alter(owner, new AlterRoom.Promote(room, bob)));
      assertThat(rooms.logOf(room)).extracting(RoomEvent::kind).containsExactly(RoomEventKind.ROOM_CREATED);
    } finally {
      rooms.failAppends = false;
    }

    awaitTrue(() -> rooms.logOf(room).size() >= 4);
    assertOk(rooms.alter(owner, new AlterRoom.Rename(room, "Back")));

    assertThat(rooms.logOf(room)).extracting(RoomEvent::kind).containsExactly(
        RoomEventKind.ROOM_CREATED, RoomEventKind.ROOM_RENAMED, RoomEventKind.MEMBER_ADDED,
        RoomEventKind.MEMBER_PROMOTED, RoomEventKind.ROOM_RENAMED);
    assertThat(rooms.logOf(room).get(2).data().getString("user")).isEqualTo(dave);
    assertThat(rooms.logOf(room).get(4).data().getString("name")).isEqualTo("Back");
  }

  @Test
  void aRelayRetriedAfterALostReplySendsTheSameEventIdAndTheLogHoldsItOnce() {
    String owner = rooms.user("owner");
    UUID room = rooms.createRoom(owner, RoomType.GROUP, "G", rooms.user("member"));
    rooms.dropAppendReplies = true;
    try {
      // The stand-in appends but never answers: the relay times out, ROOM_OK follows all the same.
      assertOk(rooms.alter(owner, new AlterRoom.Rename(room, "Once")));
    } finally {
      rooms.dropAppendReplies = false;
    }

    // The sweep tries again after its back-off, with the same id, and this time hears the answer.
    awaitTrue(() -> rooms.appendRequestIds(room).size() >= 3);
    assertOk(rooms.alter(owner, new AlterRoom.Rename(room, "Twice")));

    List<UUID> requests = rooms.appendRequestIds(room);
    assertThat(requests.get(1)).isEqualTo(requests.get(2));
    assertThat(new HashSet<>(requests)).hasSize(3);
    assertThat(rooms.logOf(room)).extracting(RoomEvent::kind)
        .containsExactly(RoomEventKind.ROOM_CREATED, RoomEventKind.ROOM_RENAMED, RoomEventKind.ROOM_RENAMED);
    assertThat(rooms.logOf(room)).extracting(event -> event.data().getString("name")).containsExactly("G", "Once", "Twice");
  }

  @Test
  void backOffDoublesPerFailedAttemptUpToItsCeiling() {
    assertThat(OutboxRelay.backoff(0)).isEqualTo(OutboxRelay.BACKOFF_FIRST);
    assertThat(OutboxRelay.backoff(1)).isEqualTo(OutboxRelay.BACKOFF_FIRST.multipliedBy(2));
    assertThat(OutboxRelay.backoff(60)).isEqualTo(OutboxRelay.BACKOFF_MAX);
  }

  private static void awaitTrue(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("condition not met within " + PATIENCE).isBefore(deadline);
      LockSupport.parkNanos(POLL_PAUSE.toNanos());
    }
  }
}
