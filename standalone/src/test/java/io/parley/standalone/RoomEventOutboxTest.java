package io.parley.standalone;

import static io.parley.standalone.TestClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ParleyStatusException;
import io.parley.shared.bus.Addresses;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.events.UuidV7;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.TestInfra;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Room changes reach the room's event log through the room service's outbox, with the real message
 * service: a change made while the message service does not answer is in the log once it answers
 * again, in order and once; an append whose reply was lost is retried without a duplicate.
 */
class RoomEventOutboxTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration POLL_PAUSE = Duration.ofMillis(50);
  static Standalone parley;
  static TestClients clients;
  static Member owner;
  static Member member;
  static Member extra;
  private Handler<DeliveryContext<Object>> fault;

  @BeforeAll
  static void start() throws Exception {
    parley = Standalone.start(TestInfra.config(RoomEventOutboxTest.class.getSimpleName())
        .with(ConfigKey.BIND_HOST, "127.0.0.1")
        .with(ConfigKey.POW_DIFFICULTY_BITS, 8)
        .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000)
        // The room service waits a quarter of this for an append: a swallowed request or reply
        // times out after 500 ms.
        .with(ConfigKey.BUS_TIMEOUT_MS, 2000));
    clients = new TestClients(parley);
    owner = signUp("owner");
    member = signUp("member");
    extra = signUp("extra");
  }

  /**
   * Sign-up and log-in hash a password, which on a busy machine can outlast this test's short bus
   * timeout; UNAVAILABLE is retryable by contract, so do what a client does: try again (as a new
   * user, since a timed-out sign-up may have gone through).
   */
  static Member signUp(String prefix) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return Member.signUp(clients, prefix);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof ParleyStatusException status) || !status.code().equals(Optional.of(StatusCode.UNAVAILABLE)) || attempt == 5) {
          throw e;
        }
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (Member m : List.of(owner, member, extra)) {
      m.close();
    }
    parley.close();
  }

  @AfterEach
  void healTheBus() {
    if (fault != null) {
      parley.vertx().eventBus().removeOutboundInterceptor(fault);
      fault = null;
    }
  }

  @Test
  void changesMadeWhileTheMessageServiceDoesNotAnswerAreInTheLogOnceItDoesInOrderAndOnce() throws Exception {
    // The message service "times out": every append request is swallowed on the bus.
    fault = context -> {
      if (!Addresses.MESSAGE_APPEND_ROOM_EVENT.equals(context.message().address())) {
        context.next();
      }
    };
    parley.vertx().eventBus().addOutboundInterceptor(fault);
    UUID room = await(owner.rooms.createRoom(RoomType.GROUP, "Outage", List.of(member.user)));
    await(owner.rooms.rename(room, "Renamed during the outage"));
    await(owner.rooms.addMembers(room, List.of(extra.user)));
    assertThat(log(room)).isEmpty();

    healTheBus();
    awaitLog(room, 3);
    await(owner.rooms.rename(room, "After"));

    List<RoomEvent> events = log(room);
    assertThat(events).extracting(RoomEvent::kind).containsExactly(
        RoomEventKind.ROOM_CREATED, RoomEventKind.ROOM_RENAMED, RoomEventKind.MEMBER_ADDED, RoomEventKind.ROOM_RENAMED);
    assertThat(events).extracting(RoomEvent::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(events.get(1).data().getString("name")).isEqualTo("Renamed during the outage");
    assertThat(events.get(2).data().getString("user")).isEqualTo(extra.user);
  }

  @Test
  void anAppendWhoseReplyWasLostIsRetriedWithoutADuplicate() throws Exception {
    UUID room = await(owner.rooms.createRoom(RoomType.GROUP, "Lost replies", List.of(member.user)));
    // The message service appends, but its answer to the first try of each append never arrives.
    Set<String> replyAddresses = ConcurrentHashMap.newKeySet();
    AtomicInteger swallowed = new AtomicInteger();
    fault = context -> {
      String address = context.message().address();
      if (Addresses.MESSAGE_APPEND_ROOM_EVENT.equals(address) && swallowed.get() == 0) {
        replyAddresses.add(context.message().replyAddress());
      } else if (address != null && replyAddresses.remove(address)) {
        swallowed.incrementAndGet();
        return;
      }
      context.next();
    };
    parley.vertx().eventBus().addOutboundInterceptor(fault);

    await(owner.rooms.rename(room, "Once"));
    assertThat(swallowed.get()).isEqualTo(1);
    healTheBus();
    // The append went through before its reply was lost; the sweep's retry must not add another.
    awaitLog(room, 2);
    await(owner.rooms.rename(room, "Then this"));

    List<RoomEvent> events = log(room);
    assertThat(events).extracting(RoomEvent::kind)
        .containsExactly(RoomEventKind.ROOM_CREATED, RoomEventKind.ROOM_RENAMED, RoomEventKind.ROOM_RENAMED);
    assertThat(events).extracting(RoomEvent::seq).containsExactly(1L, 2L, 3L);
    assertThat(events).extracting(event -> event.data().getString("name")).containsExactly("Lost replies", "Once", "Then this");
  }

  @Test
  void theMessageServiceAppendsAnEventIdOnceAndAnswersARepeatWithTheStoredEventPushedAgain() throws Exception {
    UUID room = await(owner.rooms.createRoom(RoomType.GROUP, "Repeat", List.of(member.user)));
    awaitLog(room, 1);
    AppendRoomEvent rename = new AppendRoomEvent(
        UuidV7.next(), room, RoomEventKind.ROOM_RENAMED, owner.user, new JsonObject().put("name", "Same"), List.of());

    RoomEvent first = append(rename);
    assertThat(nextPushOf(member, rename.id())).isEqualTo(first);
    RoomEvent again = append(rename);

    assertThat(again).isEqualTo(first);
    assertThat(first.id()).isEqualTo(rename.id());
    assertThat(log(room)).extracting(RoomEvent::seq).containsExactly(1L, 2L);
    // A repeat usually means the first reply was lost, perhaps with a replica that died before its
    // push; the member gets the event again and drops the copy by seq.
    assertThat(nextPushOf(member, rename.id())).isEqualTo(first);
  }

  /** The next push of event {@code id} to {@code to}, skipping others; fails after {@link #PATIENCE}. */
  private static RoomEvent nextPushOf(Member to, UUID id) throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (Instant.now().isBefore(deadline)) {
      RoomEvent pushed = to.events.poll(POLL_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
      if (pushed != null && pushed.id().equals(id)) {
        return pushed;
      }
    }
    throw new AssertionError("no push of event " + id + " within " + PATIENCE);
  }

  private static RoomEvent append(AppendRoomEvent event) throws Exception {
    return RoomEvent.fromJson(
        await(parley.vertx().eventBus().<JsonObject>request(Addresses.MESSAGE_APPEND_ROOM_EVENT, event)).body());
  }

  private static List<RoomEvent> log(UUID room) throws Exception {
    return await(owner.messages.syncAfter(room, null, 50)).events();
  }

  private static void awaitLog(UUID room, int size) throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (log(room).size() < size) {
      assertThat(Instant.now()).as("the room's log did not reach " + size + " events within " + PATIENCE).isBefore(deadline);
      // The relayed event is pushed to the owner too: wait for a push, or look again shortly.
      owner.events.poll(POLL_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
