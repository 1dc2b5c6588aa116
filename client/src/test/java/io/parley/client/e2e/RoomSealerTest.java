package io.parley.client.e2e;

import static io.parley.client.e2e.ScriptedRoom.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alice's device seals, Bob's opens: the event kinds mapped to what each sealed content is bound to. */
class RoomSealerTest {
  static final UUID ALICE_DEVICE = UUID.randomUUID();
  static final UUID BOB_DEVICE = UUID.randomUUID();

  @TempDir Path dir;
  final ScriptedRoom room = new ScriptedRoom();
  final ChatKey aliceKey = ChatKey.generate();
  final ChatKey bobKey = ChatKey.generate();
  RoomSealer alice;
  RoomSealer bob;
  long seq;

  @BeforeEach
  void setUp() throws Exception {
    room.list("alice", ALICE_DEVICE, aliceKey.publicPem()).list("bob", BOB_DEVICE, bobKey.publicPem());
    alice = sealer(aliceKey, ALICE_DEVICE, dir.resolve("alice-pins"));
    bob = sealer(bobKey, BOB_DEVICE, dir.resolve("bob-pins"));
  }

  RoomSealer sealer(ChatKey key, UUID device, Path pinsFile) throws Exception {
    KeyDirectory directory = new KeyDirectory(device, key.publicKey(), KeyPins.load(pinsFile), room::roomInfo,
        Future::succeededFuture, warning -> {});
    return new RoomSealer(new MessageCrypto(key, device), directory,
        HistoryKeys.load(java.nio.file.Files.createDirectories(dir.resolve("history-" + device))));
  }

  RoomEvent fromAlice(RoomEventKind kind, JsonObject data) {
    return new RoomEvent(UUID.randomUUID(), room.id, ++seq, kind, "alice", ALICE_DEVICE, Instant.EPOCH, data);
  }

  @Test
  void a_message_edit_and_delete_reason_open_for_the_other_member_verified() {
    UUID msg = UUID.randomUUID();
    RoomSealer.Sealed message = done(alice.seal(room.id, SealContext.message(room.id, "alice"), "tea at five"));
    RoomSealer.Sealed edit = done(alice.seal(room.id, SealContext.edit(room.id, msg, "alice"), "tea at six"));
    RoomSealer.Sealed reason = done(alice.seal(room.id, SealContext.deleteReason(room.id, msg, "alice"), "wrong room"));
    assertThat(message.recipients()).isEqualTo(2);
    assertThat(message.skipped()).isEmpty();

    List<ChatEvent> opened = done(bob.openAll(List.of(
        fromAlice(RoomEventKind.MESSAGE_SENT, new JsonObject().put("format", "msg-text").put("content", message.content())),
        fromAlice(RoomEventKind.MESSAGE_EDITED, new JsonObject().put("msg", msg.toString()).put("content", edit.content())),
        fromAlice(RoomEventKind.MESSAGE_DELETED, new JsonObject().put("msg", msg.toString()).put("reason", reason.content())))));
    assertThat(opened).extracting(e -> e.content().status()).containsOnly(Decrypted.Status.OK);
    assertThat(opened).extracting(e -> e.text().orElseThrow()).containsExactly("tea at five", "tea at six", "wrong room");
  }

  @Test
  void a_sealed_edit_replayed_as_a_new_message_does_not_open() {
    RoomSealer.Sealed edit = done(alice.seal(room.id, SealContext.edit(room.id, UUID.randomUUID(), "alice"), "tea at six"));
    ChatEvent replayed = done(bob.open(fromAlice(RoomEventKind.MESSAGE_SENT, new JsonObject().put("content", edit.content()))));
    assertThat(replayed.content().status()).isEqualTo(Decrypted.Status.UNDECRYPTABLE);
    assertThat(replayed.text()).isEmpty();
  }

  @Test
  void events_without_sealed_content_open_to_what_they_are() {
    assertThat(done(bob.open(fromAlice(RoomEventKind.MEMBER_ADDED, new JsonObject().put("user", "carol")))).content()).isNull();
    assertThat(done(bob.open(fromAlice(RoomEventKind.MESSAGE_DELETED, new JsonObject().put("msg", UUID.randomUUID().toString())))).content())
        .isNull();
    assertThat(done(bob.open(fromAlice(RoomEventKind.MESSAGE_SENT, new JsonObject().put("deleted", true)))).content().status())
        .isEqualTo(Decrypted.Status.DELETED);
    assertThat(done(bob.open(fromAlice(RoomEventKind.MESSAGE_EDITED, new JsonObject().put("content", "AAAA")))).content().problem())
        .isEqualTo("the event names no message");
  }

  @Test
  void a_message_from_a_device_with_another_key_than_its_pin_is_flagged() throws Exception {
    RoomSealer.Sealed first = done(alice.seal(room.id, SealContext.message(room.id, "alice"), "hello"));
    assertThat(done(bob.open(fromAlice(RoomEventKind.MESSAGE_SENT, new JsonObject().put("content", first.content())))).content().status())
        .isEqualTo(Decrypted.Status.OK);

    ChatKey swapped = ChatKey.generate(); // alice's device now seals with a key bob did not pin
    RoomSealer impostor = sealer(swapped, ALICE_DEVICE, dir.resolve("impostor-pins"));
    RoomSealer.Sealed forged = done(impostor.seal(room.id, SealContext.message(room.id, "alice"), "trust me"));
    ChatEvent flagged = done(bob.open(fromAlice(RoomEventKind.MESSAGE_SENT, new JsonObject().put("content", forged.content()))));
    assertThat(flagged.content().status()).isEqualTo(Decrypted.Status.UNVERIFIED_SENDER);
    assertThat(flagged.text()).isEmpty();
  }

  @Test
  void a_device_whose_key_changed_gets_no_wrap_and_is_named() {
    done(alice.seal(room.id, SealContext.message(room.id, "alice"), "pins bob's key"));
    room.list("bob", BOB_DEVICE, ChatKey.generate().publicPem());
    RoomSealer.Sealed sealed = done(alice.seal(room.id, SealContext.message(room.id, "alice"), "not for the new key"));
    assertThat(sealed.recipients()).isEqualTo(1);
    assertThat(sealed.skipped()).containsExactly("bob/" + BOB_DEVICE);
    ChatEvent atBob = done(bob.open(fromAlice(RoomEventKind.MESSAGE_SENT, new JsonObject().put("content", sealed.content()))));
    assertThat(atBob.content().status()).isEqualTo(Decrypted.Status.NOT_FOR_THIS_DEVICE);
  }
}
