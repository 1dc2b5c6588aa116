package io.parley.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.e2e.ParleyChat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages typed while the server cannot be reached, in an interactive {@code parley} whose line to a
 * standalone server is cut and restored: shown as pending, kept in the device's outbox, sent once the
 * connection is back — also after the client was restarted in between — and received exactly once.
 */
class CliOutboxTest {
  static ChatFixture fixture;
  static CliRunner cli;
  static CuttableRelay relay;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ChatFixture(CliOutboxTest.class.getSimpleName());
    relay = new CuttableRelay(fixture.parley.tcpPort());
    cli = new CliRunner(relay.port());
  }

  @AfterAll
  static void stop() throws Exception {
    relay.close();
    fixture.close();
  }

  private static LiveCli live(Path home) throws Exception {
    return new LiveCli("--server", "127.0.0.1:" + relay.port(), "--home", home.toString());
  }

  @Test
  void a_message_typed_while_offline_is_pending_then_sent_once_when_the_connection_is_back() throws Exception {
    Path adaHome = fixture.homes.resolve("outbox_a");
    Path bobHome = fixture.homes.resolve("outbox_b");
    String ada = cli.signup(adaHome, ChatFixture.newUsername("outbox_a"));
    String bob = cli.signup(bobHome, ChatFixture.newUsername("outbox_b"));
    assertThat(cli.parley(adaHome, "", "dm", bob).code()).isZero();

    LiveCli session = live(adaHome);
    session.type("/dm " + bob);
    int at = session.awaitScreen("— " + bob + " —", 0);
    relay.cut();
    at = session.awaitScreen("(connection lost; reconnecting in the background", at);
    session.type("typed while the line was cut");
    at = session.awaitScreen("(pending: \"typed while the line was cut\" is kept", at);
    session.type("/outbox");
    at = session.awaitScreen(": \"typed while the line was cut\"", at);
    relay.restore();
    at = session.awaitScreen("(connected again)", at);
    session.awaitScreen("(sent: \"typed while the line was cut\" as [", at);
    session.type("/quit");
    assertThat(session.finish()).isZero();
    assertThat(session.screen()).containsOnlyOnce("(connection lost").doesNotContain("(reconnecting)");

    CliRunner.Run bobReads = cli.parley(bobHome, "", "history", "1");
    assertThat(bobReads.out()).containsOnlyOnce(ada + ": typed while the line was cut");
  }

  @Test
  void a_pending_message_survives_a_restart_of_the_client() throws Exception {
    Path adaHome = fixture.homes.resolve("restart_a");
    Path bobHome = fixture.homes.resolve("restart_b");
    String ada = cli.signup(adaHome, ChatFixture.newUsername("restart_a"));
    String bob = cli.signup(bobHome, ChatFixture.newUsername("restart_b"));
    assertThat(cli.parley(adaHome, "", "dm", bob).code()).isZero();

    LiveCli first = live(adaHome);
    first.type("/dm " + bob);
    int at = first.awaitScreen("— " + bob + " —", 0);
    relay.cut();
    at = first.awaitScreen("(connection lost", at);
    first.type("kept across a restart");
    first.awaitScreen("(pending: \"kept across a restart\"", at);
    first.type("/quit");
    assertThat(first.finish()).isZero();
    assertThat(first.screen()).contains("(1 message is not sent yet: kept in");
    assertThat(Files.readString(adaHome.resolve("outbox.json"))).contains("kept across a restart");

    relay.restore();
    LiveCli second = live(adaHome);
    second.awaitScreen("(sent: \"kept across a restart\" as [", 0);
    second.type("/quit");
    assertThat(second.finish()).isZero();
    assertThat(Files.readString(adaHome.resolve("outbox.json"))).doesNotContain("kept across a restart");

    CliRunner.Run bobReads = cli.parley(bobHome, "", "history", "1");
    assertThat(bobReads.out()).containsOnlyOnce(ada + ": kept across a restart");
  }

  /**
   * The client was killed after the server stored a message but before the reply arrived: the outbox
   * still holds it, with the request id of that first attempt. Sending it again with that id returns
   * the stored event (same seq) and the room holds the message once.
   */
  @Test
  void a_message_whose_first_attempt_arrived_is_not_stored_twice() throws Exception {
    Path adaHome = fixture.homes.resolve("once_a");
    Path bobHome = fixture.homes.resolve("once_b");
    String ada = cli.signup(adaHome, ChatFixture.newUsername("once_a"));
    String bob = cli.signup(bobHome, ChatFixture.newUsername("once_b"));
    assertThat(cli.parley(adaHome, "", "dm", bob).code()).isZero();

    UUID entry = UUID.randomUUID();
    String requestId = "outbox-" + entry;
    ParleyChat device = ParleyChat.open(fixture.clientVertx,
        ParleyChat.Options.tcp("127.0.0.1", relay.port(), adaHome).withPinnedFingerprint(fixture.parley.fingerprint()));
    UUID room;
    ParleyChat.Sent first;
    try {
      ChatFixture.await(device.connect());
      room = ChatFixture.await(device.rooms()).get(0).room();
      first = ChatFixture.await(device.send(room, "stored before the reply was lost", requestId));
    } finally {
      ChatFixture.await(device.close());
    }
    Files.writeString(adaHome.resolve("outbox.json"), new JsonArray().add(new JsonObject()
        .put("id", entry.toString()).put("room", room.toString()).put("text", "stored before the reply was lost")
        .put("typed", Instant.now().toString()).put("request", requestId)).encode());

    LiveCli session = live(adaHome);
    session.awaitScreen("(sent: \"stored before the reply was lost\" as [" + first.seq() + "])", 0);
    session.type("/quit");
    assertThat(session.finish()).isZero();

    CliRunner.Run bobReads = cli.parley(bobHome, "", "history", "1");
    assertThat(bobReads.out()).as(bobReads.err()).containsOnlyOnce(ada + ": stored before the reply was lost");
  }
}
