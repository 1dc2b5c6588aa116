package io.parley.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.e2e.Decrypted.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The sealed-message format alone: round trips, and every alteration refused (docs/e2e.md). */
class MessageCryptoTest {
  static final UUID ROOM = UUID.randomUUID();

  record Device(String user, UUID id, ChatKey key, MessageCrypto crypto) {
    static Device create(String user) {
      UUID id = UUID.randomUUID();
      ChatKey key = ChatKey.generate();
      return new Device(user, id, key, new MessageCrypto(key, id));
    }

    Recipient recipient() {
      return new Recipient(user, id, key.publicKey());
    }

    Decrypted open(SealContext context, Device sender, String content) {
      return crypto.open(context, sender.id, content, sender.key.publicKey());
    }
  }

  final Device alice = Device.create("alice");
  final Device bob = Device.create("bob");
  final Device carol = Device.create("carol");

  @Test
  void every_recipient_reads_the_text_and_the_sender_is_verified() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    String sealed = alice.crypto.seal(context, "hello, 世界 👋", List.of(alice.recipient(), bob.recipient(), carol.recipient()));

    for (Device reader : List.of(alice, bob, carol)) {
      Decrypted opened = reader.open(context, alice, sealed);
      assertThat(opened.status()).isEqualTo(Status.OK);
      assertThat(opened.text()).isEqualTo("hello, 世界 👋");
    }
  }

  @Test
  void a_device_left_out_of_the_recipients_cannot_read() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    String sealed = alice.crypto.seal(context, "after carol left", List.of(alice.recipient(), bob.recipient()));

    Decrypted atCarol = carol.open(context, alice, sealed);
    assertThat(atCarol.status()).isEqualTo(Status.NOT_FOR_THIS_DEVICE);
    assertThat(atCarol.text()).isNull();
  }

  @Test
  void an_altered_wrapped_key_is_undecryptable_not_text() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    byte[] bytes = Base64.getDecoder().decode(alice.crypto.seal(context, "secret", List.of(alice.recipient(), bob.recipient())));
    // bob's wrap is the second: 112 + 64 + 16 (device id) is its first wrapped byte.
    bytes[112 + SealedMessage.WRAP_BYTES + 16 + 5] ^= 1;
    String altered = Base64.getEncoder().encodeToString(bytes);

    Decrypted atBob = bob.open(context, alice, altered);
    assertThat(atBob.status()).isEqualTo(Status.UNDECRYPTABLE);
    assertThat(atBob.text()).isNull();
    assertThat(atBob.display()).startsWith("[undecryptable");
    // Alice's own wrap is intact and the body too.
    assertThat(alice.open(context, alice, altered).status()).isEqualTo(Status.OK);
  }

  @Test
  void an_altered_body_is_undecryptable_for_everyone() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    byte[] bytes = Base64.getDecoder().decode(alice.crypto.seal(context, "secret", List.of(alice.recipient(), bob.recipient())));
    bytes[bytes.length - 20] ^= 0x40;
    String altered = Base64.getEncoder().encodeToString(bytes);

    assertThat(bob.open(context, alice, altered).status()).isEqualTo(Status.UNDECRYPTABLE);
    assertThat(alice.open(context, alice, altered).status()).isEqualTo(Status.UNDECRYPTABLE);
  }

  @Test
  void every_single_bit_flip_is_refused() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    byte[] original = Base64.getDecoder().decode(alice.crypto.seal(context, "x", List.of(bob.recipient())));
    for (int i = 0; i < original.length; i++) {
      byte[] bytes = original.clone();
      bytes[i] ^= (byte) 0x80;
      Decrypted opened = bob.open(context, alice, Base64.getEncoder().encodeToString(bytes));
      assertThat(opened.status()).as("flip at byte %d", i).isIn(Status.UNDECRYPTABLE, Status.NOT_FOR_THIS_DEVICE);
    }
  }

  @Test
  void a_truncated_or_garbage_content_is_undecryptable() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    String sealed = alice.crypto.seal(context, "x", List.of(bob.recipient()));
    assertThat(bob.open(context, alice, sealed.substring(0, 100)).status()).isEqualTo(Status.UNDECRYPTABLE);
    assertThat(bob.open(context, alice, "not base64!").status()).isEqualTo(Status.UNDECRYPTABLE);
    assertThat(bob.open(context, alice, Base64.getEncoder().encodeToString("hello".getBytes())).status()).isEqualTo(Status.UNDECRYPTABLE);
  }

  @Test
  void a_ciphertext_moved_to_another_room_kind_target_or_sender_does_not_open() throws Exception {
    UUID msg = UUID.randomUUID();
    SealContext edit = SealContext.edit(ROOM, msg, "alice");
    String sealed = alice.crypto.seal(edit, "fixed typo", List.of(bob.recipient()));

    assertThat(bob.open(edit, alice, sealed).status()).isEqualTo(Status.OK);
    assertThat(bob.open(SealContext.edit(UUID.randomUUID(), msg, "alice"), alice, sealed).status()).isEqualTo(Status.UNDECRYPTABLE);
    assertThat(bob.open(SealContext.edit(ROOM, UUID.randomUUID(), "alice"), alice, sealed).status()).isEqualTo(Status.UNDECRYPTABLE);
    assertThat(bob.open(SealContext.message(ROOM, "alice"), alice, sealed).status()).isEqualTo(Status.UNDECRYPTABLE);
    assertThat(bob.open(SealContext.deleteReason(ROOM, msg, "alice"), alice, sealed).status()).isEqualTo(Status.UNDECRYPTABLE);
    assertThat(bob.open(SealContext.edit(ROOM, msg, "mallory"), alice, sealed).status()).isEqualTo(Status.UNDECRYPTABLE);
  }

  @Test
  void a_content_delivered_as_from_another_device_is_undecryptable() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    String sealed = alice.crypto.seal(context, "x", List.of(bob.recipient()));
    assertThat(bob.crypto.open(context, carol.id, sealed, carol.key.publicKey()).status()).isEqualTo(Status.UNDECRYPTABLE);
  }

  @Test
  void a_sender_key_that_does_not_match_the_directory_is_flagged() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    // Mallory holds a key of her own but sends as alice's device (the server lies about sender_device).
    Device mallory = new Device("alice", alice.id, ChatKey.generate(), null);
    MessageCrypto malloryCrypto = new MessageCrypto(mallory.key, alice.id);
    String sealed = malloryCrypto.seal(context, "send me your password", List.of(bob.recipient()));

    Decrypted atBob = bob.crypto.open(context, alice.id, sealed, alice.key.publicKey());
    assertThat(atBob.status()).isEqualTo(Status.UNVERIFIED_SENDER);
    assertThat(atBob.textIfVerified()).isEmpty();
    assertThat(atBob.problem()).contains("key directory");
    assertThat(atBob.display()).startsWith("[UNVERIFIED SENDER");
  }

  @Test
  void an_insider_cannot_swap_the_body_under_the_shared_content_key() throws Exception {
    // Bob knows the content key of a message alice sent to bob and carol. He re-encrypts another body
    // under it and keeps carol's wrap: the wrap's AAD is the digest of the original body, so it fails.
    SealContext context = SealContext.message(ROOM, "alice");
    byte[] original = Base64.getDecoder().decode(alice.crypto.seal(context, "meet at 5", List.of(bob.recipient(), carol.recipient())));
    SealedMessage parsed = SealedMessage.parse(original);
    SealedMessage forged = new SealedMessage(
        parsed.senderDevice(), parsed.senderKey(), parsed.ephemeralKey(), parsed.messageId(), parsed.nonce(), parsed.wraps(),
        new byte[parsed.body().length]);
    Decrypted atCarol = carol.open(context, alice, Base64.getEncoder().encodeToString(forged.encode()));
    assertThat(atCarol.status()).isEqualTo(Status.UNDECRYPTABLE);
  }

  @Test
  void lengths_are_padded_to_64_byte_blocks() throws Exception {
    SealContext context = SealContext.message(ROOM, "alice");
    int a = Base64.getDecoder().decode(alice.crypto.seal(context, "hi", List.of(bob.recipient()))).length;
    int b = Base64.getDecoder().decode(alice.crypto.seal(context, "hello there, how are you", List.of(bob.recipient()))).length;
    assertThat(a).isEqualTo(b);
  }

  /** Measured cost for docs/e2e.md: seal for 100 devices, open one. Prints, asserts only a loose bound. */
  @Test
  void cost_for_a_100_device_room() throws Exception {
    List<Recipient> recipients = new ArrayList<>();
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Device d = Device.create("user" + i);
      devices.add(d);
      recipients.add(d.recipient());
    }
    SealContext context = SealContext.message(ROOM, "alice");
    String text = "a typical chat message of about a hundred characters, give or take a few words here and there.";
    for (int i = 0; i < 30; i++) { // warm-up: JIT and the static-secret cache
      devices.get(i % 100).open(context, alice, alice.crypto.seal(context, text, recipients));
    }
    int rounds = 40;
    long t0 = System.nanoTime();
    String sealed = null;
    for (int i = 0; i < rounds; i++) {
      sealed = alice.crypto.seal(context, text, recipients);
    }
    long sealNanos = (System.nanoTime() - t0) / rounds;
    t0 = System.nanoTime();
    for (int i = 0; i < rounds * 10; i++) {
      assertThat(devices.get(i % 100).open(context, alice, sealed).status()).isEqualTo(Status.OK);
    }
    long openNanos = (System.nanoTime() - t0) / (rounds * 10);
    int bytes = Base64.getDecoder().decode(sealed).length;
    System.out.printf("e2e cost, 100 recipient devices: seal %.2f ms, open %.3f ms, %d bytes sealed (%d base64 chars)%n",
        sealNanos / 1e6, openNanos / 1e6, bytes, sealed.length());
    // Speed is printed, not asserted (a bound fails on a busy machine); the assertions are that every
    // one of the 100 devices opens the sealed message.
  }
}
