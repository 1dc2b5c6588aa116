package io.parley.standalone;

import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Messages;
import io.parley.client.ParleyStatusException;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.TestInfra;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The heart of the chat server through the real path: SDK → gateway → bus → message service →
 * PostgreSQL/Redis → live pushes back through the gateway. Nothing acknowledged is lost, nothing
 * arrives twice, and a client that was away catches up exactly.
 */
class MessagesTest {
  static final int SMALL_WRITE_QUEUE = 64 * 1024;
  static final AtomicInteger texts = new AtomicInteger();

  static Standalone parley;
  static TestClients clients;
  static Pool db;

  @BeforeAll
  static void start() throws Exception {
    parley =
        Standalone.start(
            TestInfra.config(MessagesTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 8)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000)
                .with(ConfigKey.WRITE_QUEUE_MAX_BYTES, SMALL_WRITE_QUEUE));
    clients = new TestClients(parley);
    db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(parley.config().get(ConfigKey.PG_URL))).using(parley.vertx()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    await(db.close());
    parley.close();
  }

  /** Stand-in ciphertext: unique per call, so the database can be searched for it. */
  static String ciphertext() {
    return Base64.getEncoder().encodeToString(("ciphertext-" + texts.incrementAndGet() + "-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
  }

  static UUID group(Member owner, Member... others) throws Exception {
    List<String> people = new ArrayList<>();
    for (Member other : others) {
      people.add(other.user);
    }
    UUID room = await(owner.rooms.createRoom(RoomType.GROUP, "group " + texts.incrementAndGet(), people));
    drainRoomEvents(owner);
    for (Member other : others) {
      drainRoomEvents(other);
    }
    return room;
  }

  /** Membership events of a fresh room, consumed so message tests see only their own events. */
  static void drainRoomEvents(Member member) throws InterruptedException {
    RoomEvent event;
    do {
      event = member.nextEvent();
    } while (!event.kind().isMembershipOrMetadata() || event.kind() != RoomEventKind.ROOM_CREATED);
  }

  static StatusCode statusOf(Throwable failure) {
    assertThat(failure).isInstanceOf(ParleyStatusException.class);
    return ((ParleyStatusException) failure).code().orElseThrow();
  }

  @Test
  void two_users_chat_both_ways_live() throws Exception {
    try (Member alice = Member.signUp(clients, "alice"); Member bob = Member.signUp(clients, "bob")) {
      UUID room = await(alice.rooms.createRoom(RoomType.DIRECT, null, List.of(bob.user)));
      assertThat(alice.nextEvent().kind()).isEqualTo(RoomEventKind.ROOM_CREATED);
      assertThat(bob.nextEvent().kind()).isEqualTo(RoomEventKind.ROOM_CREATED);

      String hello = ciphertext();
      Messages.Ack ack = await(alice.messages.send(room, hello));
      RoomEvent atBob = bob.nextEvent();
      String reply = ciphertext();
      await(bob.messages.send(room, reply));
      RoomEvent atAlice = alice.nextEvent();

      assertThat(atBob.id()).isEqualTo(ack.event());
      assertThat(atBob.kind()).isEqualTo(RoomEventKind.MESSAGE_SENT);
      assertThat(atBob.sender()).isEqualTo(alice.user);
      assertThat(atBob.data().getString("content")).isEqualTo(hello);
      assertThat(atAlice.data().getString("content")).isEqualTo(reply);
      assertThat(atAlice.seq()).isEqualTo(atBob.seq() + 1);
    }
  }

  @Test
  void pipelined_sends_reach_the_other_members_in_sequence_order() throws Exception {
    try (Member alice = Member.signUp(clients, "pipeline"); Member bob = Member.signUp(clients, "inorder")) {
      UUID room = group(alice, bob);
      List<io.vertx.core.Future<Messages.Ack>> acks = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        acks.add(alice.messages.send(room, ciphertext())); // not awaited: many in flight at once
      }
      await(io.vertx.core.Future.all(acks));

      List<Long> seen = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        seen.add(bob.nextEvent().seq());
      }
      assertThat(seen).isSorted().doesNotHaveDuplicates();
      assertThat(seen).containsExactlyInAnyOrderElementsOf(acks.stream().map(f -> f.result().seq()).toList());
    }
  }

  @Test
  void the_senders_other_devices_receive_the_message_but_the_sending_device_does_not() throws Exception {
    try (Member alice = Member.signUp(clients, "multi"); Member bob = Member.signUp(clients, "peer")) {
      UUID room = group(alice, bob);
      try (Member alicePhone = alice.secondDevice(clients)) {
        Messages.Ack ack = await(alice.messages.send(room, ciphertext()));

        assertThat(alicePhone.nextEvent().id()).isEqualTo(ack.event());
        assertThat(bob.nextEvent().id()).isEqualTo(ack.event());
        // The sending device had its MSG_OK; its next push is the next event, not a copy of this one.
        Messages.Ack second = await(bob.messages.send(room, ciphertext()));
        assertThat(alice.nextEvent().id()).isEqualTo(second.event());
      }
    }
  }

  @Test
  void a_device_that_was_offline_syncs_exactly_the_events_it_missed_in_order() throws Exception {
    try (Member alice = Member.signUp(clients, "writer"); Member bob = Member.signUp(clients, "reader")) {
      UUID room = group(alice, bob);
      Messages.Ack seen = await(alice.messages.send(room, ciphertext()));
      assertThat(bob.nextEvent().id()).isEqualTo(seen.event());
      bob.close(); // bob's device goes offline, remembering the last event it saw

      Messages.Ack first = await(alice.messages.send(room, ciphertext()));
      Messages.Ack second = await(alice.messages.send(room, ciphertext()));
      Messages.Ack edit = await(alice.messages.edit(room, first.event(), ciphertext()));
      Messages.Ack delete = await(alice.messages.delete(room, second.event(), null));
      Messages.Ack third = await(alice.messages.send(room, ciphertext()));

      try (Member bobAgain = bob.reconnect(clients)) {
        Messages.Page missed = await(bobAgain.messages.syncAfter(room, seen.event(), 100));

        assertThat(missed.events()).extracting(RoomEvent::id)
            .containsExactly(first.event(), second.event(), edit.event(), delete.event(), third.event());
        assertThat(missed.events()).extracting(RoomEvent::kind).containsExactly(
            RoomEventKind.MESSAGE_SENT, RoomEventKind.MESSAGE_SENT, RoomEventKind.MESSAGE_EDITED,
            RoomEventKind.MESSAGE_DELETED, RoomEventKind.MESSAGE_SENT);
        assertThat(missed.events().get(1).data().getBoolean("deleted")).isTrue();
        assertThat(missed.events().get(1).data().containsKey("content")).isFalse();
        assertThat(missed.more()).isFalse();
      }
    }
  }

  @Test
  void a_retried_send_with_the_same_request_id_stores_one_event() throws Exception {
    try (Member alice = Member.signUp(clients, "retry"); Member bob = Member.signUp(clients, "retrypeer")) {
      UUID room = group(alice, bob);
      String content = ciphertext();

      Messages.Ack first = await(alice.messages.send(room, content, "send-once-1"));
      Messages.Ack retry = await(alice.messages.send(room, content, "send-once-1"));
      try (Member aliceReconnected = alice.reconnect(clients)) {
        Messages.Ack afterReconnect = await(aliceReconnected.messages.send(room, content, "send-once-1"));
        assertThat(afterReconnect).isEqualTo(first);
      }

      assertThat(retry).isEqualTo(first);
      long rows = await(db.preparedQuery("SELECT count(*) FROM message.events WHERE room_id = $1 AND body->>'content' = $2")
              .execute(Tuple.of(room, content))).iterator().next().getLong(0);
      assertThat(rows).isEqualTo(1);
    }
  }

  @Test
  void a_deleted_message_is_gone_from_the_database_and_a_tombstone_stays() throws Exception {
    try (Member alice = Member.signUp(clients, "eraser"); Member bob = Member.signUp(clients, "witness")) {
      UUID room = group(alice, bob);
      String original = ciphertext();
      String edited = ciphertext();
      Messages.Ack sent = await(alice.messages.send(room, original));
      await(alice.messages.edit(room, sent.event(), edited));

      await(alice.messages.delete(room, sent.event(), ciphertext()));

      for (String content : List.of(original, edited)) {
        long rows = await(db.preparedQuery("SELECT count(*) FROM message.events WHERE body::text LIKE $1")
                .execute(Tuple.of("%" + content + "%"))).iterator().next().getLong(0);
        assertThat(rows).as("rows still holding the content").isZero();
      }
      Messages.Page page = await(alice.messages.syncAfter(room, null, 10));
      assertThat(page.events()).extracting(RoomEvent::kind).contains(RoomEventKind.MESSAGE_DELETED);
    }
  }

  @Test
  void a_reader_that_stops_reading_is_disconnected_while_the_others_keep_receiving() throws Exception {
    try (Member alice = Member.signUp(clients, "flood"); Member bob = Member.signUp(clients, "steady");
        SlowReader carol = SlowReader.signUp(clients, "stalled")) {
      UUID room = group(alice, bob);
      await(alice.rooms.addMembers(room, List.of(carol.user())));
      carol.stopReading();
      drainUntil(bob, RoomEventKind.MEMBER_ADDED);
      // Sixty-odd KiB of ciphertext per message: the kernel's buffers fill, then the gateway's queue.
      String big = Base64.getEncoder().encodeToString(new byte[60 * 1024]);
      List<UUID> sent = new ArrayList<>();
      for (int i = 0; i < 190; i++) {
        sent.add(await(alice.messages.send(room, big)).event());
      }

      assertThat(carol.resumeAndAwaitDisconnected()).as("the stalled reader was cut off").isTrue();
      for (UUID event : sent) {
        assertThat(bob.nextEvent().id()).isEqualTo(event);
      }
    }
  }

  static void drainUntil(Member member, RoomEventKind kind) throws InterruptedException {
    while (member.nextEvent().kind() != kind) {
      // earlier events of the room
    }
  }

  // --- Bad input: a test for each ---

  @Test
  void a_non_member_cannot_send_edit_sync_or_receipt() throws Exception {
    try (Member alice = Member.signUp(clients, "inside"); Member bob = Member.signUp(clients, "inside2");
        Member mallory = Member.signUp(clients, "outside")) {
      UUID room = group(alice, bob);
      Messages.Ack sent = await(alice.messages.send(room, ciphertext()));

      assertThat(statusOf(awaitFailure(mallory.messages.send(room, ciphertext())))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
      assertThat(statusOf(awaitFailure(mallory.messages.edit(room, sent.event(), ciphertext())))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
      assertThat(statusOf(awaitFailure(mallory.messages.syncAfter(room, null, 10)))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
      assertThat(statusOf(awaitFailure(mallory.messages.readReceipt(room, sent.event())))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
      // ...the same answer as for a room that does not exist.
      assertThat(statusOf(awaitFailure(mallory.messages.send(UUID.randomUUID(), ciphertext())))).isEqualTo(StatusCode.ROOM_NOT_FOUND);
    }
  }

  @Test
  void a_member_cannot_edit_someone_elses_message() throws Exception {
    try (Member alice = Member.signUp(clients, "author"); Member bob = Member.signUp(clients, "editor")) {
      UUID room = group(alice, bob);
      String original = ciphertext();
      Messages.Ack sent = await(alice.messages.send(room, original));

      assertThat(statusOf(awaitFailure(bob.messages.edit(room, sent.event(), ciphertext())))).isEqualTo(StatusCode.FORBIDDEN);
      assertThat(await(bob.messages.syncAfter(room, null, 50)).events()).noneMatch(e -> e.kind() == RoomEventKind.MESSAGE_EDITED);
    }
  }

  @Test
  void a_channel_member_cannot_post_but_its_owner_can() throws Exception {
    try (Member owner = Member.signUp(clients, "anchor"); Member listener = Member.signUp(clients, "listener")) {
      UUID channel = await(owner.rooms.createRoom(RoomType.CHANNEL, "news", List.of(listener.user)));

      assertThat(statusOf(awaitFailure(listener.messages.send(channel, ciphertext())))).isEqualTo(StatusCode.FORBIDDEN);
      assertThat(await(owner.messages.send(channel, ciphertext())).seq()).isPositive();
    }
  }

  @Test
  void edit_delete_or_pin_of_an_unknown_or_deleted_message_is_refused() throws Exception {
    try (Member alice = Member.signUp(clients, "ghosts"); Member bob = Member.signUp(clients, "ghosts2")) {
      UUID room = group(alice, bob);
      Messages.Ack sent = await(alice.messages.send(room, ciphertext()));
      await(alice.messages.delete(room, sent.event(), null));
      UUID unknown = UUID.randomUUID();

      for (UUID msg : List.of(unknown, sent.event())) {
        assertThat(statusOf(awaitFailure(alice.messages.edit(room, msg, ciphertext())))).isEqualTo(StatusCode.MESSAGE_NOT_FOUND);
        assertThat(statusOf(awaitFailure(alice.messages.delete(room, msg, null)))).isEqualTo(StatusCode.MESSAGE_NOT_FOUND);
        assertThat(statusOf(awaitFailure(alice.messages.pin(room, msg)))).isEqualTo(StatusCode.MESSAGE_NOT_FOUND);
      }
    }
  }

  @Test
  void content_over_the_limit_unknown_formats_and_actions_are_refused() throws Exception {
    try (Member alice = Member.signUp(clients, "limits"); Member bob = Member.signUp(clients, "limits2")) {
      UUID room = group(alice, bob);
      String tooBig = Base64.getEncoder().encodeToString(new byte[64 * 1024 + 1]);

      assertThat(statusOf(awaitFailure(alice.messages.send(room, tooBig)))).isEqualTo(StatusCode.TOO_LARGE);
      assertThat(chatAction(alice, room, "send", new JsonObject().put("format", "msg-video").put("content", ciphertext())).statusCode())
          .contains(StatusCode.BAD_PACKET);
      assertThat(chatAction(alice, room, "shout", new JsonObject()).statusCode()).contains(StatusCode.BAD_PACKET);
      assertThat(chatAction(alice, room, "send", new JsonObject().put("format", "msg-smallfile").put("content", ciphertext())).statusCode())
          .contains(StatusCode.UNSUPPORTED_FORMAT);
    }
  }

  static Envelope chatAction(Member member, UUID room, String action, Object actiondata) throws Exception {
    return await(member.connection.request(PacketType.CHAT_ACTION,
        new JsonObject().put("room", room.toString()).put("action", action).put("actiondata", actiondata)));
  }

  @Test
  void sync_counts_of_zero_negative_or_huge_are_refused_and_from_must_be_in_the_room() throws Exception {
    try (Member alice = Member.signUp(clients, "counts"); Member bob = Member.signUp(clients, "counts2")) {
      UUID room = group(alice, bob);
      UUID otherRoom = group(alice, bob);
      Messages.Ack elsewhere = await(alice.messages.send(otherRoom, ciphertext()));

      for (int count : new int[] {0, -1, 1_000_000}) {
        Envelope reply = await(alice.connection.request(PacketType.SYNC_ROOM_REQ,
            new JsonObject().put("room", room.toString()).put("count", count).putNull("from")));
        assertThat(reply.statusCode()).as("count %d", count).contains(StatusCode.BAD_PACKET);
        assertThat(reply.data().getString("desc")).startsWith("count");
      }
      Envelope reply = await(alice.connection.request(PacketType.SYNC_ROOM_REQ,
          new JsonObject().put("room", room.toString()).put("count", 10).put("from", elsewhere.event().toString())));
      assertThat(reply.statusCode()).contains(StatusCode.BAD_PACKET);
      assertThat(reply.data().getString("desc")).startsWith("from");
    }
  }

  // --- Sync pages, receipts and unread counts ---

  @Test
  void scrollback_pages_backwards_and_the_latest_page_is_the_newest_events() throws Exception {
    try (Member alice = Member.signUp(clients, "scroll"); Member bob = Member.signUp(clients, "scroll2")) {
      UUID room = group(alice, bob);
      List<UUID> sent = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        sent.add(await(alice.messages.send(room, ciphertext())).event());
      }

      Messages.Page latest = await(bob.messages.syncAfter(room, null, 3));
      Messages.Page older = await(bob.messages.syncBefore(room, latest.events().get(0).id(), 3));

      assertThat(latest.events()).extracting(RoomEvent::id).containsExactlyElementsOf(sent.subList(4, 7));
      assertThat(latest.more()).isTrue();
      assertThat(older.events()).extracting(RoomEvent::id).containsExactlyElementsOf(sent.subList(1, 4));
      assertThat(older.more()).isTrue();
    }
  }

  @Test
  void read_receipts_feed_unread_counts_and_reach_the_other_members() throws Exception {
    try (Member alice = Member.signUp(clients, "counter"); Member bob = Member.signUp(clients, "counted")) {
      UUID room = group(alice, bob);
      await(alice.messages.send(room, ciphertext()));
      Messages.Ack second = await(alice.messages.send(room, ciphertext()));
      await(alice.messages.send(room, ciphertext()));

      assertThat(unread(bob, room)).isEqualTo(3);
      await(bob.messages.readReceipt(room, second.event()));
      assertThat(unread(bob, room)).isEqualTo(1);

      Envelope receipt;
      do {
        receipt = alice.pushes.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      } while (receipt != null && !receipt.is(PacketType.READ_RECEIPT));
      assertThat(receipt).isNotNull();
      assertThat(receipt.data().getString("user")).isEqualTo(bob.user);
      assertThat(receipt.data().getString("msg")).isEqualTo(second.event().toString());
    }
  }

  static long unread(Member member, UUID room) throws Exception {
    JsonArray rooms = await(member.rooms.roomList());
    for (Object entry : rooms) {
      JsonObject listed = (JsonObject) entry;
      if (listed.getString("room").equals(room.toString())) {
        return listed.getLong("unread");
      }
    }
    throw new AssertionError("room not in " + member.user + "'s list");
  }
}
