package io.parley.standalone;

import static io.parley.standalone.TestClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.TestInfra;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's cold cluster: a room change's event reaches the room's log even when every connection
 * of the room service's pool is taken by outbox relays, here with a pool of one.
 *
 * <p>The relay holds a room-schema connection (its per-room advisory lock lives in that transaction)
 * while the message service appends the event; the append used to answer only after it had read the
 * room's members from the room service, which needs a room-schema connection too. Once relays held
 * them all, neither side could go on until the relay's wait ran out; the room service's own
 * {@code SELECT 1} probe could not get a connection either, so it reported PostgreSQL down and
 * answered UNAVAILABLE. A freshly started cluster (slow, cold JIT) met that with a few dozen room
 * creations at once; a pool of one meets it with the first.
 */
class RoomEventsOnOneConnectionTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration POLL_PAUSE = Duration.ofMillis(50);
  static Standalone parley;
  static TestClients clients;
  static Member owner;
  static Member member;
  static Pool db;

  @BeforeAll
  static void start() throws Exception {
    parley = Standalone.start(TestInfra.config(RoomEventsOnOneConnectionTest.class.getSimpleName())
        .with(ConfigKey.BIND_HOST, "127.0.0.1")
        .with(ConfigKey.POW_DIFFICULTY_BITS, 8)
        .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000)
        .with(ConfigKey.PG_POOL_SIZE, 1)
        // The room service waits a quarter of this for an append: long enough that only the wait
        // described above, never a busy machine, can make the first relay of a change fail.
        .with(ConfigKey.BUS_TIMEOUT_MS, 40_000));
    db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(parley.config().get(ConfigKey.PG_URL))).using(parley.vertx()).build();
    clients = new TestClients(parley);
    owner = Member.signUp(clients, "one_owner");
    member = Member.signUp(clients, "one_member");
  }

  @AfterAll
  static void stop() throws Exception {
    for (Member m : List.of(owner, member)) {
      if (m != null) {
        m.close();
      }
    }
    if (db != null) {
      await(db.close());
    }
    if (parley != null) {
      parley.close();
    }
  }

  @Test
  void aRoomsEventsReachItsLogWhileTheRelayHoldsTheRoomServicesOnlyConnection() throws Exception {
    UUID room = await(owner.rooms.createRoom(RoomType.GROUP, "One connection", List.of(member.user)));
    // ROOM_OK waits for the relay's first try: it got the event into the log, not the outbox's retry.
    assertThat(pendingInOutbox()).as("events left in the outbox after ROOM_OK").isZero();
    await(owner.rooms.rename(room, "Still one"));
    assertThat(pendingInOutbox()).as("events left in the outbox after the rename's ROOM_OK").isZero();

    awaitLog(room, 2);
    assertThat(log(room)).extracting(RoomEvent::kind).containsExactly(RoomEventKind.ROOM_CREATED, RoomEventKind.ROOM_RENAMED);
  }

  private static long pendingInOutbox() throws Exception {
    return await(db.query("SELECT count(*) FROM room.outbox").execute()).iterator().next().getLong(0);
  }

  private static List<RoomEvent> log(UUID room) throws Exception {
    return await(owner.messages.syncAfter(room, null, 50)).events();
  }

  private static void awaitLog(UUID room, int size) throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (log(room).size() < size) {
      assertThat(Instant.now()).as("the room's log did not reach " + size + " events within " + PATIENCE).isBefore(deadline);
      owner.events.poll(POLL_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
