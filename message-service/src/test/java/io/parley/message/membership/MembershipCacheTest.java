package io.parley.message.membership;

import static io.parley.testing.Futures.await;
import static io.parley.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.StandInRoomService;
import io.parley.message.chat.RoomAccess;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusTimeouts;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.room.RoomMembership;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The membership cache against a stand-in room service on a real event bus, on one event loop as in
 * the message service. Time is a counter the test advances; races are built by holding the room
 * service's answers, never by waiting.
 */
class MembershipCacheTest {
  static final Duration TTL = Duration.ofSeconds(30);
  static final int CAPACITY = 4;

  static Vertx vertx;
  StandInRoomService roomService;
  Context loop;
  AtomicLong nanos;
  MembershipCache cache;
  RoomAccess access;
  UUID room;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void start() {
    roomService = StandInRoomService.start(vertx);
    loop = vertx.getOrCreateContext();
    // Not zero: the cache must not depend on where the monotonic clock starts.
    nanos = new AtomicLong(Long.MAX_VALUE - TTL.toNanos() / 2);
    cache = new MembershipCache(vertx, new BusClient(vertx, new BusTimeouts(10_000)), CAPACITY, TTL, nanos::get);
    access = new RoomAccess(cache);
    room = UUID.randomUUID();
    roomService.group(room, "alice", "bob");
  }

  @AfterEach
  void stop() {
    await(roomService.stop());
  }

  /** Runs {@code work} on the cache's event loop and waits for its result. */
  <T> T onLoop(Supplier<Future<T>> work) {
    return await(startOnLoop(work));
  }

  <T> Future<T> startOnLoop(Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> work.get().onComplete(result));
    return result.future();
  }

  Optional<RoomMembership> membership() {
    return onLoop(() -> cache.membership(room));
  }

  void invalidate() {
    invalidate(room);
  }

  void invalidate(UUID which) {
    onLoop(() -> {
      cache.invalidate(which);
      return Future.succeededFuture();
    });
  }

  void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Test
  void a_member_removed_while_the_invalidation_is_lost_is_refused_once_the_entry_expires() {
    onLoop(() -> access.requireMember(room, "bob"));

    roomService.removeSilently(room, "bob");
    advance(TTL.minusMillis(1));
    // Until expiry the lost invalidation goes unnoticed: this is the window the TTL bounds.
    onLoop(() -> access.requireMember(room, "bob"));
    assertThat(roomService.requests()).isEqualTo(1);

    advance(Duration.ofMillis(1));
    Throwable refused = awaitFailure(startOnLoop(() -> access.requireMember(room, "bob")));

    assertThat(refused).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.ROOM_NOT_FOUND));
    assertThat(onLoop(() -> access.requireMember(room, "alice")).isMember("bob")).isFalse();
    assertThat(roomService.requests()).isEqualTo(2);
  }

  @Test
  void an_invalidation_drops_the_entry_at_once() {
    assertThat(membership().orElseThrow().isMember("bob")).isTrue();
    roomService.removeSilently(room, "bob");

    invalidate();

    assertThat(membership().orElseThrow().isMember("bob")).isFalse();
  }

  @Test
  void an_answer_fetched_before_an_invalidation_is_returned_but_not_cached() {
    roomService.holdAnswers();
    Future<Optional<RoomMembership>> asked = startOnLoop(() -> cache.membership(room));
    StandInRoomService.Held beforeChange = roomService.nextHeld();

    roomService.removeSilently(room, "bob");
    invalidate();
    beforeChange.release();

    // The request was made before the change was announced, so the old answer is right for it...
    assertThat(await(asked).orElseThrow().isMember("bob")).isTrue();
    // ...but the next one asks again instead of trusting it.
    Future<Optional<RoomMembership>> next = startOnLoop(() -> cache.membership(room));
    roomService.nextHeld().release();
    assertThat(await(next).orElseThrow().isMember("bob")).isFalse();
    assertThat(roomService.requests()).isEqualTo(2);
  }

  @Test
  void a_request_after_an_invalidation_does_not_join_the_fetch_in_flight_and_the_late_old_answer_changes_nothing() {
    roomService.holdAnswers();
    Future<Optional<RoomMembership>> early = startOnLoop(() -> cache.membership(room));
    StandInRoomService.Held old = roomService.nextHeld();
    roomService.removeSilently(room, "bob");
    invalidate();

    Future<Optional<RoomMembership>> late = startOnLoop(() -> cache.membership(room));
    StandInRoomService.Held fresh = roomService.nextHeld();
    // The newer answer arrives first; the older one must not overwrite it.
    fresh.release();
    assertThat(await(late).orElseThrow().isMember("bob")).isFalse();
    old.release();
    await(early);

    assertThat(membership().orElseThrow().isMember("bob")).isFalse();
    assertThat(roomService.requests()).isEqualTo(2);
    assertThat(onLoop(() -> Future.succeededFuture(cache.fetchesInFlight()))).isZero();
  }

  @Test
  void concurrent_misses_of_a_room_share_one_fetch() {
    roomService.holdAnswers();
    List<Future<Optional<RoomMembership>>> asked = new ArrayList<>();
    Future<Void> allStarted = startOnLoop(() -> {
      for (int i = 0; i < 5; i++) {
        asked.add(cache.membership(room));
      }
      return Future.succeededFuture();
    });
    await(allStarted);

    roomService.nextHeld().release();

    await(Future.all(asked));
    assertThat(asked).allSatisfy(f -> assertThat(f.result().orElseThrow().isMember("bob")).isTrue());
    assertThat(roomService.requests()).isEqualTo(1);
  }

  @Test
  void a_failed_fetch_is_not_cached_and_leaves_nothing_in_flight() {
    roomService.failRequestsFor(room);

    awaitFailure(startOnLoop(() -> cache.membership(room)));
    awaitFailure(startOnLoop(() -> cache.membership(room)));

    assertThat(roomService.requests()).isEqualTo(2);
    assertThat(onLoop(() -> Future.succeededFuture(cache.fetchesInFlight()))).isZero();
  }

  @Test
  void the_least_recently_used_room_leaves_first_when_the_cache_is_full() {
    List<UUID> filled = new ArrayList<>();
    for (int i = 0; i < CAPACITY; i++) {
      UUID other = UUID.randomUUID();
      roomService.group(other, "alice");
      filled.add(other);
      onLoop(() -> cache.membership(other));
    }
    // Reading the oldest makes it the most recent; the second oldest is now the one to go.
    onLoop(() -> cache.membership(filled.get(0)));
    UUID newcomer = UUID.randomUUID();
    roomService.group(newcomer, "alice");
    onLoop(() -> cache.membership(newcomer));
    int fetched = roomService.requests();

    onLoop(() -> cache.membership(filled.get(0)));
    assertThat(roomService.requests()).as("the recently read room stayed").isEqualTo(fetched);
    onLoop(() -> cache.membership(filled.get(1)));
    assertThat(roomService.requests()).as("the least recently used room was evicted").isEqualTo(fetched + 1);
  }

  @Test
  void a_published_membership_change_drops_the_entry() {
    onLoop(() -> cache.listen());
    assertThat(membership().orElseThrow().isMember("bob")).isTrue();
    roomService.removeSilently(room, "bob");

    vertx.eventBus().publish(Addresses.EVENTS_MEMBERSHIP_CHANGED, new JsonObject().put("room", room.toString()));

    // The publication arrives on the cache's loop by itself; poll until it has, within a bound.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (onLoop(() -> Future.succeededFuture(cache.cachedRooms())) > 0) {
      assertThat(System.nanoTime() - deadline).as("the invalidation within 10 s").isNegative();
    }
    assertThat(membership().orElseThrow().isMember("bob")).isFalse();
    assertThat(roomService.requests()).isEqualTo(2);
  }

  @Test
  void memory_is_bounded_by_the_capacity_not_by_the_rooms_ever_seen() {
    for (int i = 0; i < 50; i++) {
      UUID other = UUID.randomUUID();
      roomService.group(other, "alice");
      onLoop(() -> cache.membership(other));
      invalidate(other);
      onLoop(() -> cache.membership(other));
    }
    // A room that does not exist is not cached either.
    assertThat(onLoop(() -> cache.membership(UUID.randomUUID()))).isEmpty();

    assertThat(onLoop(() -> Future.succeededFuture(cache.cachedRooms()))).isEqualTo(CAPACITY);
    assertThat(onLoop(() -> Future.succeededFuture(cache.fetchesInFlight()))).isZero();
  }
}
