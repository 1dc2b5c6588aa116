package io.parley.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code parley} CLI run in-process with piped stdin/stdout against a standalone server: a
 * scripted session of two users, an interactive session fed lines, and the refusals.
 */
class CliSessionTest {
  static ChatFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ChatFixture(CliSessionTest.class.getSimpleName());
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  static CliRunner.Run parley(Path home, String stdin, String... args) {
    return new CliRunner(fixture).parley(home, stdin, args);
  }

  static String signup(Path home, String user) {
    CliRunner.Run run = parley(home, CliRunner.signupAnswers(user), "signup");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Solving the proof-of-work captcha [").contains("100%").contains("Account " + user + " created.");
    assertThat(run.err()).contains("New server 127.0.0.1:" + fixture.parley.tcpPort() + ", identity fingerprint " + fixture.parley.fingerprint());
    return user;
  }

  @Test
  void two_users_talk_through_scripted_commands_and_an_interactive_session() throws Exception {
    Path aliceHome = fixture.homes.resolve("cli-alice");
    Path bobHome = fixture.homes.resolve("cli-bob");
    String alice = signup(aliceHome, ChatFixture.newUsername("alice"));
    String bob = signup(bobHome, ChatFixture.newUsername("bob"));

    CliRunner.Run created = parley(aliceHome, "", "create", "club", bob);
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).startsWith("created ");
    CliRunner.Run sent = parley(aliceHome, "", "send", "club", "hello", "from", "the", "script");
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(sent.out()).contains("sealed for 2 devices");
    // Second contact: the fingerprint is known and not announced again.
    assertThat(sent.err()).doesNotContain("New server");

    CliRunner.Run rooms = parley(bobHome, "", "rooms");
    assertThat(rooms.out()).contains("club").contains("group").contains("1 unread");
    CliRunner.Run history = parley(bobHome, "", "history", "1");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.out()).contains(alice + ": hello from the script").contains(alice + " created the room");

    CliRunner.Run interactive = parley(bobHome, "/open club\nhi alice, typed interactively\n/members\n/quit\n");
    assertThat(interactive.code()).as(interactive.err()).isZero();
    assertThat(interactive.out())
        .contains("Logged in as " + bob)
        .containsPattern("\\[\\d+] " + alice + ": hello from the script")
        .contains(alice + " (owner)");
    long bobsMessage = interactive.numberOf(bob, "hi alice, typed interactively");

    CliRunner.Run edit = parley(bobHome, "/open club\n/edit " + bobsMessage + " hi alice, edited\n/quit\n");
    assertThat(edit.out()).contains(bob + " edited [" + bobsMessage + "]: hi alice, edited");

    CliRunner.Run aliceReads = parley(aliceHome, "", "history", "club");
    assertThat(aliceReads.out())
        .contains("[" + bobsMessage + "] " + bob + ": hi alice, edited (edited)")
        .doesNotContain("typed interactively")
        .doesNotContain("undecryptable").doesNotContain("UNVERIFIED");
  }

  @Test
  void a_changed_server_identity_is_refused_with_a_clear_message() throws Exception {
    Path home = fixture.homes.resolve("cli-pinned");
    Files.createDirectories(home);
    Files.writeString(home.resolve("known_servers"), "127.0.0.1:" + fixture.parley.tcpPort() + " " + "cd".repeat(32) + "\n");
    CliRunner.Run run = parley(home, "", "rooms");
    assertThat(run.code()).isEqualTo(3);
    assertThat(run.err()).contains("server identity of 127.0.0.1:" + fixture.parley.tcpPort() + " changed").contains("Refusing to connect");
  }

  @Test
  void a_corrupted_key_file_is_reported_not_used() throws Exception {
    Path home = fixture.homes.resolve("cli-corrupted");
    Files.createDirectories(home);
    Files.writeString(home.resolve("chat-key.pem"), "this is not a key\n");
    Files.setPosixFilePermissions(home.resolve("chat-key.pem"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    CliRunner.Run run = parley(home, "", "rooms");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("chat-key.pem is corrupted").contains("Restore it from a backup");
  }

  @Test
  void commands_without_a_login_say_what_to_do() throws Exception {
    CliRunner.Run run = parley(fixture.homes.resolve("cli-fresh"), "", "rooms");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("not logged in on this device; run 'parley login'");
  }
}
