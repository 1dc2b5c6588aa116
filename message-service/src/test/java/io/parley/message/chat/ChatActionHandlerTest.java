package io.parley.message.chat;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.MessageVerticle;
import io.parley.message.StandInRoomService;
import io.parley.message.delivery.Fanout;
import io.parley.message.log.RoomSequencer;
import io.parley.message.membership.MembershipCache;
import io.parley.message.store.EventStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.BusTimeouts;
import io.parley.shared.bus.Delivery;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.bus.ServiceEndpoint;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.presence.Presence;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.ChatAction;
import io.parley.shared.protocol.packet.MessageFormat;
import io.parley.shared.protocol.packet.SyncRoomReq;
import io.parley.testing.TestInfra;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CHAT_ACTION through its handler, the real event store and a stand-in room service, on one event
 * loop as in the message service.
 */
class ChatActionHandlerTest {
  static final Duration TTL = Duration.ofSeconds(30);

  static Vertx vertx;
  static ServiceResources resources;
  static StandInRoomService roomService;
  static Context loop;
  static AtomicLong nanos = new AtomicLong();
  static EventStore events;
  static ChatActionHandler handler;
  static SyncHandler sync;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    ParleyConfig config = TestInfra.config(ChatActionHandlerTest.class.getSimpleName());
    resources = await(ParleyInfra.open(vertx, config, MessageVerticle.SCHEMA));
    roomService = StandInRoomService.start(vertx);
    loop = vertx.getOrCreateContext();
    events = new EventStore(resources.pool());
    RoomAccess access = new RoomAccess(new MembershipCache(vertx, new BusClient(vertx, new BusTimeouts(10_000)), 100, TTL, nanos::get));
    handler = new ChatActionHandler(events, access, new Fanout(vertx, new Presence(resources.redis())), new RoomSequencer());
    sync = new SyncHandler(events, access);
  }

  @AfterAll
  static void close() {
    await(roomService.stop());
    await(resources.close());
    await(vertx.close());
  }

  static <T> Future<T> startOnLoop(Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    loop.runOnContext(v -> work.get().onComplete(result));
    return result.future();
  }

  static BusRequest send(String user, UUID device, String requestId, UUID room, String text) {
    String content = Base64.getEncoder().encodeToString(text.getBytes());
    ChatAction send = new ChatAction(room, new ChatAction.Send(MessageFormat.TEXT, content));
    return new BusRequest(user, device.toString(), "conn-" + user, "node-1", "127.0.0.1", requestId, send);
  }

  static BusRequest syncLatest(String user, UUID device, UUID room) {
    SyncRoomReq sync = new SyncRoomReq(room, 10, null, SyncRoomReq.Direction.AFTER);
    return new BusRequest(user, device.toString(), "conn-" + user, "node-1", "127.0.0.1", null, sync);
  }

  /** The reply the client would get, refusals included, as the service's endpoint makes it. */
  static BusReply handle(RequestHandler handler, BusRequest request) {
    return await(startOnLoop(() -> handler.handle(request)
        .recover(failure -> Future.succeededFuture(ServiceEndpoint.failureReply("test", failure)))));
  }

  static BusReply handle(BusRequest request) {
    return handle(handler, request);
  }

  static StatusCode status(BusReply reply) {
    return reply.packet().statusCode().orElseThrow();
  }

  static List<Row> storedEvents(UUID room) {
    List<Row> rows = new ArrayList<>();
    await(resources.pool().preparedQuery("SELECT id, sender, body FROM events WHERE room_id = $1 ORDER BY seq").execute(Tuple.of(room)))
        .forEach(rows::add);
    return rows;
  }

  @Test
  void two_users_with_the_same_device_id_and_request_id_each_get_their_own_event_and_reply() {
    UUID room = UUID.randomUUID();
    roomService.group(room, "alice", "mallory");
    UUID sharedDevice = UUID.randomUUID();

    // Mallory announces Alice's device id and guesses her next request id before Alice sends.
    BusReply mallorys = handle(send("mallory", sharedDevice, "req-7", room, "from mallory"));
    BusReply alices = handle(send("alice", sharedDevice, "req-7", room, "from alice"));

    assertThat(status(mallorys)).isEqualTo(StatusCode.MSG_OK);
    assertThat(status(alices)).isEqualTo(StatusCode.MSG_OK);
    String alicesEvent = alices.packet().data().getString("event");
    assertThat(alicesEvent).isNotEqualTo(mallorys.packet().data().getString("event"));
    List<Row> stored = storedEvents(room);
    assertThat(stored).extracting(row -> row.getString("sender")).containsExactly("mallory", "alice");
    assertThat(stored.get(1).getUUID("id").toString()).isEqualTo(alicesEvent);

    // Each one's retry still finds that user's own first result and stores nothing.
    assertThat(handle(send("alice", sharedDevice, "req-7", room, "from alice")).packet().data().getString("event")).isEqualTo(alicesEvent);
    assertThat(handle(send("mallory", sharedDevice, "req-7", room, "again")).packet().data())
        .isEqualTo(mallorys.packet().data());
    assertThat(storedEvents(room)).hasSize(2);
  }

  @Test
  void two_users_with_the_same_device_id_and_request_id_in_one_group_commit_both_get_stored() {
    UUID room = UUID.randomUUID();
    UUID otherRoom = UUID.randomUUID();
    UUID sharedDevice = UUID.randomUUID();
    List<Future<EventStore.Appended>> appends = new ArrayList<>();
    await(startOnLoop(() -> {
      // The first append is written alone; the two that follow wait and share the next batch.
      appends.add(events.appendOnce(draft(otherRoom, "carol", UUID.randomUUID()), "filler", null));
      appends.add(events.appendOnce(draft(room, "mallory", sharedDevice), "req-9", null));
      appends.add(events.appendOnce(draft(UUID.randomUUID(), "alice", sharedDevice), "req-9", null));
      return Future.all(appends);
    }));

    assertThat(appends).allSatisfy(f -> assertThat(f.result().fresh()).isTrue());
    assertThat(appends.stream().map(f -> f.result().event().sender())).containsExactly("carol", "mallory", "alice");
    assertThat(await(events.priorResult("alice", sharedDevice, "req-9")).orElseThrow().id())
        .isEqualTo(appends.get(2).result().event().id());
  }

  static EventStore.Draft draft(UUID room, String sender, UUID device) {
    return new EventStore.Draft(room, RoomEventKind.MESSAGE_SENT, sender, device,
        new JsonObject().put("format", "msg-text").put("content", "Y2lwaGVy"));
  }

  @Test
  void a_member_removed_while_the_invalidation_is_lost_can_neither_send_nor_sync_once_the_cache_expires() {
    UUID room = UUID.randomUUID();
    roomService.group(room, "alice", "bob");
    UUID bobsDevice = UUID.randomUUID();
    assertThat(status(handle(send("bob", bobsDevice, "b-1", room, "hello")))).isEqualTo(StatusCode.MSG_OK);

    roomService.removeSilently(room, "bob");
    nanos.addAndGet(TTL.toNanos());

    assertThat(status(handle(send("bob", bobsDevice, "b-2", room, "still here?")))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
    assertThat(status(handle(sync, syncLatest("bob", bobsDevice, room)))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
    assertThat(handle(sync, syncLatest("alice", UUID.randomUUID(), room)).packet().data().getJsonArray("events")).hasSize(1);
    assertThat(storedEvents(room)).hasSize(1);
  }
  @Test
  void the_push_is_on_the_bus_before_the_sender_is_answered() throws Exception {
    UUID room = UUID.randomUUID();
    roomService.group(room, "alice", "bob");
    String node = "node-" + UUID.randomUUID();
    String deliver = Addresses.gatewayDeliver(node);
    await(new Presence(resources.redis()).register("bob", UUID.randomUUID().toString(), node));
    AtomicBoolean pushSent = new AtomicBoolean();
    Handler<DeliveryContext<Object>> watching = context -> {
      if (context.message().address().equals(deliver)) {
        pushSent.set(true);
      }
      context.next();
    };
    vertx.eventBus().addOutboundInterceptor(watching);
    try {
      // A replica killed between its answer and its push would lose the push for good: nobody
      // repeats an answered request.
      AtomicBoolean pushSentWhenAnswered = new AtomicBoolean();
      BusRequest request = send("alice", UUID.randomUUID(), "a-1", room, "hello");
      BusReply reply = await(startOnLoop(() -> handler.handle(request).onSuccess(answer -> pushSentWhenAnswered.set(pushSent.get()))));

      assertThat(status(reply)).isEqualTo(StatusCode.MSG_OK);
      assertThat(pushSentWhenAnswered).as("push handed to the bus before MSG_OK").isTrue();
    } finally {
      vertx.eventBus().removeOutboundInterceptor(watching);
    }
  }

  @Test
  void a_send_repeated_after_its_push_was_lost_pushes_the_stored_event_again() throws Exception {
    UUID room = UUID.randomUUID();
    roomService.group(room, "alice", "bob");
    assertARepeatAfterALostPushPushesAgain(room, send("alice", UUID.randomUUID(), "a-1", room, "hello"));
  }

  @Test
  void an_edit_repeated_after_its_push_was_lost_pushes_the_stored_event_again() throws Exception {
    UUID room = UUID.randomUUID();
    roomService.group(room, "alice", "bob");
    UUID alicesDevice = UUID.randomUUID();
    UUID msg = UUID.fromString(handle(send("alice", alicesDevice, "a-1", room, "helo")).packet().data().getString("event"));
    String content = Base64.getEncoder().encodeToString("hello".getBytes());
    ChatAction edit = new ChatAction(room, new ChatAction.Edit(msg, content));
    // An edit's repeat is answered from the request record before any rule is checked again.
    assertARepeatAfterALostPushPushesAgain(room, new BusRequest("alice", alicesDevice.toString(), "conn-alice", "node-1", "127.0.0.1", "a-2", edit));
  }

  /**
   * Bob is online on a gateway node of his own; the first push of {@code request}'s event dies on its
   * way there, as it does with a replica killed after its commit; the repeat of the request (the
   * gateway's retry, on whichever replica) stores nothing and pushes the stored event to bob.
   */
  static void assertARepeatAfterALostPushPushesAgain(UUID room, BusRequest request) throws Exception {
    String bobsDevice = UUID.randomUUID().toString();
    String node = "node-" + UUID.randomUUID();
    String deliver = Addresses.gatewayDeliver(node);
    await(new Presence(resources.redis()).register("bob", bobsDevice, node));
    BlockingQueue<JsonObject> delivered = new LinkedBlockingQueue<>();
    BlockingQueue<JsonObject> lost = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> gateway = vertx.eventBus().consumer(deliver, message -> delivered.add(message.body()));
    await(gateway.completion());
    AtomicBoolean loseNext = new AtomicBoolean(true);
    Handler<DeliveryContext<Object>> losing = context -> {
      if (context.message().address().equals(deliver) && loseNext.getAndSet(false)) {
        lost.add((JsonObject) context.message().body());
      } else {
        context.next();
      }
    };
    vertx.eventBus().addOutboundInterceptor(losing);
    try {
      int storedBefore = storedEvents(room).size();
      BusReply first = handle(request);
      assertThat(status(first)).isEqualTo(StatusCode.MSG_OK);
      String event = first.packet().data().getString("event");
      assertThat(pushedEvent(lost.poll(10, TimeUnit.SECONDS))).as("the first push, lost").isEqualTo(event);

      BusReply repeat = handle(request);
      assertThat(repeat.packet().data()).isEqualTo(first.packet().data());
      JsonObject push = delivered.poll(10, TimeUnit.SECONDS);
      assertThat(pushedEvent(push)).as("the repeat's push").isEqualTo(event);
      assertThat(Delivery.fromJson(push).targets()).containsExactly(new Delivery.Target("bob", bobsDevice));
      assertThat(storedEvents(room)).hasSize(storedBefore + 1);
    } finally {
      vertx.eventBus().removeOutboundInterceptor(losing);
      await(gateway.unregister());
    }
  }

  /** The id of the event a gateway delivery carries; null when there was none. */
  static String pushedEvent(JsonObject delivery) {
    return delivery == null ? null : Delivery.fromJson(delivery).packet().data().getString("id");
  }
}
