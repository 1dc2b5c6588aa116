package io.parley.standalone.e2e;

import static io.parley.standalone.e2e.ChatFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.client.Links;
import io.parley.client.ParleyStatusException;
import io.parley.client.e2e.ChatEvent;
import io.parley.client.e2e.ChatKey;
import io.parley.client.e2e.Decrypted;
import io.parley.client.e2e.E2eException;
import io.parley.client.e2e.LinkCode;
import io.parley.client.e2e.MessageCrypto;
import io.parley.client.e2e.SealContext;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.StatusCode;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Linking a new device through a standalone server (docs/e2e.md §10): before the link the new device
 * cannot read the past and says why; after its person types the code on the old device it reads the
 * (bounded) history, edits included. The blob the server stores opens for the new device's key only,
 * a device of another account is refused, and a blob made without the code's secret is rejected.
 */
class DeviceLinkTest {
  static ChatFixture fixture;
  static Pool db;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ChatFixture(DeviceLinkTest.class.getSimpleName());
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

  static ChatFixture.Client newDevice(ChatFixture.Client of) throws Exception {
    var home = fixture.homes.resolve(of.user + "-new-" + UUID.randomUUID());
    ChatFixture.Client device = fixture.new Client(of.user, home, fixture.options(home));
    await(device.chat.connect());
    await(device.chat.login(of.user, ChatFixture.PASSWORD, true));
    return device;
  }

  /** A direct room of ada and bob with three messages and an edit, read by ada's first device. */
  static UUID conversation(ChatFixture.Client ada, ChatFixture.Client bob) throws Exception {
    UUID room = await(ada.chat.createDirect(bob.user));
    await(bob.chat.send(room, "first from bob"));
    await(ada.chat.send(room, "then ada"));
    var sent = await(bob.chat.send(room, "typo hree"));
    await(bob.chat.edit(room, sent.event(), "typo fixed: three"));
    return room;
  }

  static List<String> texts(List<ChatEvent> events) {
    List<String> out = new ArrayList<>();
    for (ChatEvent e : events) {
      if (e.content() != null && e.content().status() == Decrypted.Status.OK) {
        out.add(e.content().text());
      }
    }
    return out;
  }

  /** Polls LINK_FETCH until the blobs are there (the approve already stored them); bounded. */
  static int receive(ChatFixture.Client device) throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      int received = await(device.chat.receiveLink());
      if (received > 0) {
        return received;
      }
    }
    throw new AssertionError("no link blob arrived in 100 fetches");
  }

  @Test
  void a_linked_device_reads_the_history_an_unlinked_one_cannot_and_says_why() throws Exception {
    ChatFixture.Client ada = fixture.signUp("link_a");
    ChatFixture.Client bob = fixture.signUp("link_b");
    UUID room = conversation(ada, bob);

    ChatFixture.Client adaNew = newDevice(ada);
    List<ChatEvent> before = await(adaNew.chat.history(room, 50));
    assertThat(texts(before)).isEmpty();
    assertThat(before.stream().filter(e -> e.content() != null).map(e -> e.content().display()))
        .hasSize(4)
        .allMatch(shown -> shown.contains("encrypted for your other devices"));

    LinkCode code = await(adaNew.chat.requestLink());
    assertThat(code.toString()).matches("[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}");
    int shared = await(ada.chat.approveLink(LinkCode.parse(code.toString().toLowerCase()).orElseThrow()));
    assertThat(shared).isEqualTo(4);
    assertThat(receive(adaNew)).isEqualTo(4);

    List<ChatEvent> after = await(adaNew.chat.history(room, 50));
    assertThat(texts(after)).containsExactly("first from bob", "then ada", "typo hree", "typo fixed: three");
    assertThat(adaNew.chat.sharedHistoryKeys()).isEqualTo(4);

    // Restarted, the new device still reads the past: the keys are kept in its state directory.
    await(adaNew.chat.close());
    ChatFixture.Client restarted = adaNew.restart();
    await(restarted.chat.connect());
    assertThat(texts(await(restarted.chat.history(room, 50)))).hasSize(4);
  }

  @Test
  void the_stored_blob_opens_only_with_the_new_devices_key() throws Exception {
    ChatFixture.Client ada = fixture.signUp("blob_a");
    ChatFixture.Client bob = fixture.signUp("blob_b");
    conversation(ada, bob);
    ChatFixture.Client adaNew = newDevice(ada);
    LinkCode code = await(adaNew.chat.requestLink());
    await(ada.chat.approveLink(code));

    Row stored = await(db.preparedQuery(
            "SELECT b.blob, r.nonce FROM auth.link_blobs b JOIN auth.link_requests r"
                + " ON r.user_id = b.user_id AND r.device_id = b.target_device WHERE b.target_device = $1")
        .execute(Tuple.of(adaNew.chat.device()))).iterator().next();
    String blob = stored.getString("blob");
    byte[] nonce = Base64.getDecoder().decode(stored.getString("nonce"));
    SealContext context = new SealContext(adaNew.chat.device(), RoomEventKind.KEY_SAVED, UUID.nameUUIDFromBytes(nonce), "parley-link");

    Decrypted bySender = new MessageCrypto(ada.chat.chatKey(), ada.chat.device()).open(context, ada.chat.device(), blob, null);
    assertThat(bySender.status()).isEqualTo(Decrypted.Status.NOT_FOR_THIS_DEVICE);
    Decrypted byImpostor = new MessageCrypto(ChatKey.generate(), adaNew.chat.device()).open(context, ada.chat.device(), blob, null);
    assertThat(byImpostor.status()).isEqualTo(Decrypted.Status.UNDECRYPTABLE);
    assertThat(byImpostor.text()).isNull();
    Decrypted byNewDevice = new MessageCrypto(adaNew.chat.chatKey(), adaNew.chat.device()).open(context, ada.chat.device(), blob, null);
    assertThat(byNewDevice.text()).startsWith("proof ");
  }

  @Test
  void a_device_of_another_account_can_neither_find_nor_feed_the_request() throws Exception {
    ChatFixture.Client ada = fixture.signUp("other_a");
    ChatFixture.Client mallory = fixture.signUp("other_m");
    ChatFixture.Client adaNew = newDevice(ada);
    LinkCode code = await(adaNew.chat.requestLink());

    assertThatThrownBy(() -> await(mallory.chat.approveLink(code)))
        .isInstanceOf(E2eException.class).hasMessageContaining("no device of this account is waiting");
    assertThatThrownBy(() -> await(new Links(mallory.chat.connection()).send(adaNew.chat.device(), "AQID")))
        .isInstanceOfSatisfying(ParleyStatusException.class, e -> assertThat(e.code()).contains(StatusCode.LINK_NOT_REQUESTED));
    assertThat(await(adaNew.chat.receiveLink())).isZero();
  }

  @Test
  void a_blob_made_without_the_codes_secret_is_rejected() throws Exception {
    ChatFixture.Client ada = fixture.signUp("secret_a");
    ChatFixture.Client adaNew = newDevice(ada);
    String shown = await(adaNew.chat.requestLink()).toString();
    // What a server could compute: the code's first part (a hash of public values), with a guessed secret.
    char last = shown.charAt(shown.length() - 1);
    String guessed = shown.substring(0, shown.length() - 1) + (last == 'Z' ? 'Y' : 'Z');
    await(ada.chat.approveLink(LinkCode.parse(guessed).orElseThrow()));

    assertThatThrownBy(() -> await(adaNew.chat.receiveLink()))
        .isInstanceOf(E2eException.class).hasMessageContaining("did not prove it knew the code");
    assertThat(adaNew.chat.sharedHistoryKeys()).isZero();
  }
}
