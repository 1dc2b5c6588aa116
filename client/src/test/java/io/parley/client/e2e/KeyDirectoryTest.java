package io.parley.client.e2e;

import static io.parley.client.e2e.ScriptedRoom.done;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust on first use for member devices' chat keys, over scripted ROOM_INFO replies. */
class KeyDirectoryTest {
  static final UUID MY_DEVICE = UUID.randomUUID();
  static final UUID BOB_PHONE = UUID.randomUUID();
  static final UUID CAROL_LAPTOP = UUID.randomUUID();

  @TempDir Path dir;
  final ChatKey myKey = ChatKey.generate();
  final ChatKey bobKey = ChatKey.generate();
  final ChatKey carolKey = ChatKey.generate();
  final ScriptedRoom room = new ScriptedRoom();
  final List<String> warnings = new ArrayList<>();
  int pinWrites;
  KeyPins pins;
  KeyDirectory directory;

  @BeforeEach
  void setUp() throws Exception {
    pins = KeyPins.load(dir.resolve("device-keys"));
    directory = new KeyDirectory(MY_DEVICE, myKey.publicKey(), pins, room::roomInfo, this::savePins, warnings::add);
    room.list("me", MY_DEVICE, myKey.publicPem()).list("bob", BOB_PHONE, bobKey.publicPem()).list("carol", CAROL_LAPTOP, carolKey.publicPem());
  }

  Future<Void> savePins() {
    pinWrites++;
    try {
      pins.save();
      return Future.succeededFuture();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  RoomEvent sentBy(String user, UUID device) {
    return new RoomEvent(UUID.randomUUID(), room.id, 7, RoomEventKind.MESSAGE_SENT, user, device, Instant.EPOCH, new JsonObject());
  }

  @Test
  void devices_seen_for_the_first_time_are_pinned_and_written_once() throws Exception {
    List<MemberKeys> members = done(directory.members(room.id));
    assertThat(members).extracting(MemberKeys::user).containsExactly("me", "bob", "carol");
    assertThat(members).flatExtracting(MemberKeys::devices).extracting(MemberKeys.Device::pin).containsOnly(KeyPins.Verdict.NEW);
    assertThat(pins.get(BOB_PHONE)).get().extracting(KeyPins.Pin::user).isEqualTo("bob");
    assertThat(pinWrites).isEqualTo(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("device-keys")))).isEqualTo("rw-------");

    assertThat(done(directory.members(room.id))).flatExtracting(MemberKeys::devices).extracting(MemberKeys.Device::pin)
        .containsOnly(KeyPins.Verdict.SAME);
    assertThat(pinWrites).isEqualTo(1);
    assertThat(warnings).isEmpty();
  }

  @Test
  void a_changed_key_is_reported_and_that_device_gets_no_wrap_until_the_user_trusts_it() {
    done(directory.members(room.id));
    ChatKey substituted = ChatKey.generate();
    room.list("bob", BOB_PHONE, substituted.publicPem());

    KeyDirectory.Recipients recipients = done(directory.recipients(room.id, "me"));
    assertThat(recipients.devices()).extracting(Recipient::device).containsExactly(MY_DEVICE, CAROL_LAPTOP);
    assertThat(recipients.skipped()).containsExactly("bob/" + BOB_PHONE);
    assertThat(warnings).singleElement().asString()
        .contains("bob's device " + BOB_PHONE).contains(ChatKey.fingerprint(substituted.publicKey())).contains("/trust");
    assertThat(pins.get(BOB_PHONE).orElseThrow().key()).isEqualTo(bobKey.publicKey());

    done(directory.trust(room.id, BOB_PHONE));
    assertThat(pins.get(BOB_PHONE).orElseThrow().key()).isEqualTo(substituted.publicKey());
    assertThat(done(directory.recipients(room.id, "me")).devices()).extracting(Recipient::device)
        .containsExactly(MY_DEVICE, BOB_PHONE, CAROL_LAPTOP);
  }

  @Test
  void trusting_a_device_the_directory_does_not_list_fails() {
    Future<Void> trusted = directory.trust(room.id, UUID.randomUUID());
    assertThat(trusted.failed()).isTrue();
    assertThat(trusted.cause()).hasMessageContaining("is not in the key directory of " + room.id);
  }

  @Test
  void every_send_reads_a_fresh_directory_so_a_removed_member_gets_no_wrap() {
    assertThat(done(directory.recipients(room.id, "me")).devices()).extracting(Recipient::device).contains(CAROL_LAPTOP);
    room.unlist("carol");
    assertThat(done(directory.recipients(room.id, "me")).devices()).extracting(Recipient::device).containsExactly(MY_DEVICE, BOB_PHONE);
    assertThat(room.reads).isEqualTo(2);
  }

  @Test
  void an_unusable_listed_key_is_reported_and_left_out() {
    room.list("bob", BOB_PHONE, "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n");
    List<MemberKeys> members = done(directory.members(room.id));
    assertThat(members.stream().filter(m -> m.user().equals("bob")).findFirst().orElseThrow().devices()).isEmpty();
    assertThat(warnings).singleElement().asString().contains("lists an unusable key for bob");
    assertThat(pins.get(BOB_PHONE)).isEmpty();
  }

  @Test
  void a_sender_key_is_this_devices_own_or_the_pin_and_only_for_the_user_it_was_pinned_for() {
    assertThat(done(directory.senderKey(sentBy("me", MY_DEVICE)))).isEqualTo(myKey.publicKey());
    pins.accept(BOB_PHONE, "bob", bobKey.publicKey());
    assertThat(done(directory.senderKey(sentBy("bob", BOB_PHONE)))).isEqualTo(bobKey.publicKey());
    assertThat(done(directory.senderKey(sentBy("mallory", BOB_PHONE)))).isNull();
    assertThat(room.reads).isZero();
  }

  @Test
  void an_unpinned_sender_device_is_looked_up_in_the_directory_and_pinned() {
    assertThat(done(directory.senderKey(sentBy("carol", CAROL_LAPTOP)))).isEqualTo(carolKey.publicKey());
    assertThat(room.reads).isEqualTo(1);
    assertThat(pins.get(CAROL_LAPTOP)).isPresent();
    assertThat(done(directory.senderKey(sentBy("bob", CAROL_LAPTOP)))).as("listed for another user").isNull();
  }

  @Test
  void a_sender_key_the_directory_cannot_be_read_for_is_unknown_rather_than_an_error() {
    room.unreachable = true;
    assertThat(done(directory.senderKey(sentBy("carol", CAROL_LAPTOP)))).isNull();
  }

  @Test
  void a_sender_device_the_directory_does_not_list_yet_is_looked_up_again_next_time() {
    UUID carolPhone = UUID.randomUUID(); // a new login of carol's, not yet in the directory served
    ChatKey carolPhoneKey = ChatKey.generate();
    done(directory.members(room.id));
    assertThat(done(directory.senderKey(sentBy("carol", carolPhone)))).isNull();
    assertThat(room.reads).isEqualTo(2);
    room.list("carol", carolPhone, carolPhoneKey.publicPem());
    assertThat(done(directory.senderKey(sentBy("carol", carolPhone)))).isEqualTo(carolPhoneKey.publicKey());
    assertThat(room.reads).isEqualTo(3);
  }
}
