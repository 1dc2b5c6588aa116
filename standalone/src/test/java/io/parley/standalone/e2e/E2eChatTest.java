package io.parley.standalone.e2e;

import static io.parley.standalone.e2e.ChatFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.client.IdentityMismatchException;
import io.parley.client.Messages;
import io.parley.client.e2e.ChatEvent;
import io.parley.client.e2e.ChatKey;
import io.parley.client.e2e.ChatKeyException;
import io.parley.client.e2e.Decrypted.Status;
import io.parley.client.e2e.MessageCrypto;
import io.parley.client.e2e.ParleyChat;
import io.parley.client.e2e.SealContext;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.RoomEventKind;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end layer through a running standalone server: two and three {@link ParleyChat}
 * clients, the database searched for plaintext, a removed member, a killed and restarted client, a
 * dropped connection, and the bad inputs of docs/e2e.md §7.
 */
class E2eChatTest {
  static ChatFixture fixture;
  static Pool db;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ChatFixture(E2eChatTest.class.getSimpleName());
    db = PgBuilder.pool()
        .connectingTo(PgConnectOptions.fromUri(fixture.parley.config().get(ConfigKey.PG_URL)))
        .using(fixture.parley.vertx())
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    await(db.close());
    fixture.close();
  }

  static String unique(String text) {
    return text + " #" + UUID.randomUUID();
  }

  /** Rows of message.events whose stored JSON contains {@code needle}, in any form. */
  static long rowsContaining(UUID room, String needle) throws Exception {
    long count = 0;
    for (Row row : await(db.preparedQuery("SELECT body::text FROM message.events WHERE room_id = $1").execute(Tuple.of(room)))) {
      String body = row.getString(0);
      String b64 = Base64.getEncoder().encodeToString(needle.getBytes(StandardCharsets.UTF_8));
      if (body.contains(needle) || body.contains(b64.substring(0, b64.length() - 4))) {
        count++;
      }
    }
    return count;
  }

  static long rowCount(UUID room) throws Exception {
    return await(db.preparedQuery("SELECT count(*) FROM message.events WHERE room_id = $1").execute(Tuple.of(room)))
        .iterator().next().getLong(0);
  }

  @Test
  void messages_edits_and_delete_reasons_round_trip_decrypted_and_the_database_holds_no_plaintext() throws Exception {
    ChatFixture.Client alice = fixture.signUp("alice");
    ChatFixture.Client bob = fixture.signUp("bob");
    UUID room = await(alice.chat.createGroup("tea", List.of(bob.user)));

    String hello = unique("hello bob, the tea is ready");
    ParleyChat.Sent sent = await(alice.chat.send(room, hello));
    assertThat(sent.recipientDevices()).isEqualTo(2);
    ChatEvent atBob = bob.nextMessage();
    assertThat(atBob.id()).isEqualTo(sent.event());
    assertThat(atBob.content().status()).isEqualTo(Status.OK);
    assertThat(atBob.text()).contains(hello);
    assertThat(alice.nextMessage().text()).contains(hello); // the sender's own timeline

    String reply = unique("thanks alice, on my way");
    ParleyChat.Sent replySent = await(bob.chat.send(room, reply));
    assertThat(alice.nextMessage().text()).contains(reply);
    assertThat(bob.nextMessage().text()).contains(reply);

    String edited = unique("hello bob, the green tea is ready");
    await(alice.chat.edit(room, sent.event(), edited));
    ChatEvent edit = bob.nextMessage();
    assertThat(edit.kind()).isEqualTo(RoomEventKind.MESSAGE_EDITED);
    assertThat(edit.target()).contains(sent.event());
    assertThat(edit.text()).contains(edited);

    String reason = unique("wrong room, sorry");
    await(alice.chat.delete(room, sent.event(), reason));
    ChatEvent delete = bob.nextMessage();
    assertThat(delete.kind()).isEqualTo(RoomEventKind.MESSAGE_DELETED);
    assertThat(delete.text()).contains(reason);

    await(bob.chat.pin(room, replySent.event()));
    assertThat(alice.nextMessages(3)).extracting(ChatEvent::kind)
        .containsExactly(RoomEventKind.MESSAGE_EDITED, RoomEventKind.MESSAGE_DELETED, RoomEventKind.MESSAGE_PINNED);

    // History through SYNC opens the same way; the deleted message's ciphertext is gone.
    List<ChatEvent> history = await(bob.chat.history(room, 50));
    assertThat(history).filteredOn(e -> e.kind() == RoomEventKind.MESSAGE_SENT).extracting(e -> e.content().status())
        .containsExactly(Status.DELETED, Status.OK);
    assertThat(history).filteredOn(e -> e.kind() == RoomEventKind.MESSAGE_DELETED).extracting(ChatEvent::text)
        .containsExactly(java.util.Optional.of(reason));

    assertThat(rowCount(room)).isGreaterThanOrEqualTo(6);
    for (String plaintext : List.of(hello, reply, edited, reason)) {
      assertThat(rowsContaining(room, plaintext)).as("rows holding '%s'", plaintext).isZero();
    }
    assertThat(rowsContaining(room, reply)).isZero();
    // Sanity check of the search itself: the ciphertext of the reply is in a row.
    assertThat(await(db.preparedQuery("SELECT count(*) FROM message.events WHERE room_id = $1 AND body->>'content' IS NOT NULL")
        .execute(Tuple.of(room))).iterator().next().getLong(0)).isGreaterThanOrEqualTo(1);
  }

  @Test
  void a_member_removed_from_a_group_cannot_decrypt_the_next_message() throws Exception {
    ChatFixture.Client alice = fixture.signUp("owner");
    ChatFixture.Client bob = fixture.signUp("stays");
    ChatFixture.Client carol = fixture.signUp("leaves");
    UUID room = await(alice.chat.createGroup("book club", List.of(bob.user, carol.user)));

    String before = unique("chapter one");
    await(alice.chat.send(room, before));
    assertThat(carol.nextMessage().text()).contains(before);
    assertThat(bob.nextMessage().text()).contains(before);
    assertThat(alice.nextMessage().text()).contains(before);

    await(alice.chat.removeMember(room, carol.user));
    String after = unique("chapter two, without carol");
    // Bob sends: his client reads the key directory afresh, so carol's device gets no wrap.
    ParleyChat.Sent sent = await(bob.chat.send(room, after));
    assertThat(sent.recipientDevices()).isEqualTo(2);
    ChatEvent atAlice = alice.nextMessage();
    assertThat(atAlice.text()).contains(after);

    // Carol's device, given the stored ciphertext (as a malicious server or a leaked backup would),
    // finds no key wrapped for it.
    String content = await(db.preparedQuery("SELECT body->>'content' FROM message.events WHERE id = $1")
        .execute(Tuple.of(sent.event()))).iterator().next().getString(0);
    MessageCrypto carolsCrypto = new MessageCrypto(carol.chat.chatKey(), carol.chat.device());
    var atCarol = carolsCrypto.open(SealContext.message(room, bob.user), bob.chat.device(), content, bob.chat.chatKey().publicKey());
    assertThat(atCarol.status()).isEqualTo(Status.NOT_FOR_THIS_DEVICE);
    assertThat(atCarol.text()).isNull();
    // And the server no longer shows her the room.
    assertThat(await(carol.chat.rooms())).extracting(r -> r.room()).doesNotContain(room);
  }

  @Test
  void a_client_killed_and_restarted_catches_up_exactly() throws Exception {
    ChatFixture.Client alice = fixture.signUp("talker");
    ChatFixture.Client bob = fixture.signUp("sleeper");
    UUID room = await(alice.chat.createDirect(bob.user));
    for (int i = 1; i <= 3; i++) {
      await(alice.chat.send(room, "before " + i));
    }
    assertThat(bob.nextMessages(3)).extracting(e -> e.text().orElseThrow()).containsExactly("before 1", "before 2", "before 3");
    await(bob.chat.flush());
    // Killed: the connection drops, nothing is logged out, the object is abandoned.
    ParleyChat.Options noReconnect = fixture.options(bob.home).withReconnect(false);
    await(bob.chat.connection().close());

    for (int i = 1; i <= 4; i++) {
      await(alice.chat.send(room, "while away " + i));
    }
    ChatFixture.Client restarted = fixture.new Client(bob.user, bob.home, noReconnect);
    await(restarted.chat.connect());
    assertThat(restarted.nextMessages(4)).extracting(e -> e.text().orElseThrow())
        .containsExactly("while away 1", "while away 2", "while away 3", "while away 4");
    await(alice.chat.send(room, "live again"));
    assertThat(restarted.nextMessage().text()).contains("live again");
    assertThat(restarted.events).isEmpty();
  }

  @Test
  void a_dropped_connection_reconnects_resumes_and_syncs_without_gaps_or_duplicates() throws Exception {
    ChatFixture.Client alice = fixture.signUp("steady");
    ChatFixture.Client bob = fixture.signUp("flaky");
    UUID room = await(alice.chat.createGroup("flaky line", List.of(bob.user)));
    LinkedBlockingQueue<ParleyChat.ConnectionState> states = new LinkedBlockingQueue<>();
    bob.chat.onConnectionState(states::add);
    await(alice.chat.send(room, "one"));
    assertThat(bob.nextMessage().text()).contains("one");

    var oldConnection = bob.chat.connection();
    await(oldConnection.close());
    assertThat(states.poll(10, TimeUnit.SECONDS)).isEqualTo(ParleyChat.ConnectionState.DISCONNECTED);
    await(alice.chat.send(room, "two"));
    await(alice.chat.send(room, "three"));
    ParleyChat.ConnectionState state;
    do {
      state = states.poll(10, TimeUnit.SECONDS);
      assertThat(state).isNotNull().isNotEqualTo(ParleyChat.ConnectionState.FAILED);
    } while (state != ParleyChat.ConnectionState.CONNECTED);
    assertThat(bob.chat.connection()).isNotSameAs(oldConnection);
    await(alice.chat.send(room, "four"));
    assertThat(bob.nextMessages(3)).extracting(e -> e.text().orElseThrow()).containsExactly("two", "three", "four");
    await(bob.chat.send(room, "five"));
    assertThat(bob.nextMessage().text()).contains("five");
    assertThat(bob.events).isEmpty();
  }

  @Test
  void an_altered_wrapped_key_or_ciphertext_is_shown_as_undecryptable_not_as_text() throws Exception {
    ChatFixture.Client alice = fixture.signUp("honest");
    ChatFixture.Client bob = fixture.signUp("reader");
    UUID room = await(alice.chat.createGroup("tamper", List.of(bob.user)));
    await(alice.chat.send(room, "genuine"));
    assertThat(bob.nextMessage().text()).contains("genuine");
    await(bob.chat.flush()); // bob's key is pinned at alice's first send

    MessageCrypto aliceCrypto = new MessageCrypto(alice.chat.chatKey(), alice.chat.device());
    var recipients = List.of(
        new io.parley.client.e2e.Recipient(bob.user, bob.chat.device(), bob.chat.chatKey().publicKey()));
    byte[] wrapAltered = Base64.getDecoder().decode(aliceCrypto.seal(SealContext.message(room, alice.user), "wrap altered", recipients));
    wrapAltered[112 + 20] ^= 1;
    byte[] bodyAltered = Base64.getDecoder().decode(aliceCrypto.seal(SealContext.message(room, alice.user), "body altered", recipients));
    bodyAltered[bodyAltered.length - 1] ^= 1;
    Messages raw = new Messages(alice.chat.connection());
    await(raw.send(room, Base64.getEncoder().encodeToString(wrapAltered)));
    await(raw.send(room, Base64.getEncoder().encodeToString(bodyAltered)));
    await(raw.send(room, Base64.getEncoder().encodeToString("plain words, not sealed".getBytes(StandardCharsets.UTF_8))));

    for (ChatEvent event : bob.nextMessages(3)) {
      assertThat(event.content().status()).isEqualTo(Status.UNDECRYPTABLE);
      assertThat(event.content().text()).isNull();
      assertThat(event.text()).isEmpty();
      assertThat(event.content().display()).startsWith("[undecryptable");
    }
  }

  @Test
  void a_sender_whose_key_does_not_match_the_directory_is_flagged() throws Exception {
    ChatFixture.Client alice = fixture.signUp("watcher");
    ChatFixture.Client bob = fixture.signUp("swapped");
    UUID room = await(alice.chat.createDirect(bob.user));
    await(bob.chat.send(room, "with my registered key"));
    assertThat(alice.nextMessage().content().status()).isEqualTo(Status.OK);

    // Bob's device now seals with a key that is not the one it registered (directory and alice's pin).
    await(bob.chat.close());
    ChatKey.generate().save(bob.home.resolve("chat-key.pem"));
    ChatFixture.Client impostor = bob.restart();
    await(impostor.chat.connect());
    await(impostor.chat.send(room, "trust me"));

    ChatEvent flagged = alice.nextMessage();
    assertThat(flagged.content().status()).isEqualTo(Status.UNVERIFIED_SENDER);
    assertThat(flagged.text()).isEmpty();
    assertThat(flagged.content().problem()).contains("key directory");
    assertThat(flagged.content().display()).startsWith("[UNVERIFIED SENDER");
  }

  @Test
  void a_changed_server_identity_aborts_the_connection_with_a_clear_message() throws Exception {
    Path home = fixture.homes.resolve("pinned-elsewhere");
    Files.createDirectories(home);
    Files.writeString(home.resolve("known_servers"), "127.0.0.1:" + fixture.parley.tcpPort() + " " + "ab".repeat(32) + "\n");
    ParleyChat chat = ParleyChat.open(fixture.clientVertx,
        ParleyChat.Options.tcp("127.0.0.1", fixture.parley.tcpPort(), home));
    assertThatThrownBy(() -> await(chat.connect()))
        .isInstanceOf(IdentityMismatchException.class)
        .hasMessageContaining("server identity of 127.0.0.1:" + fixture.parley.tcpPort() + " changed")
        .hasMessageContaining(fixture.parley.fingerprint())
        .hasMessageContaining("Refusing to connect");
    assertThat(chat.connection()).isNull();
  }

  @Test
  void a_corrupted_local_key_file_gives_a_clear_error() throws Exception {
    Path home = fixture.homes.resolve("corrupted");
    Files.createDirectories(home);
    Files.writeString(home.resolve("chat-key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(home.resolve("chat-key.pem"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> ParleyChat.open(fixture.clientVertx, fixture.options(home)))
        .isInstanceOf(ChatKeyException.class)
        .hasMessageContaining("chat-key.pem is corrupted")
        .hasMessageContaining("Restore it from a backup");
  }
}
