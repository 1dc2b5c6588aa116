package io.parley.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.cli.ParleyCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  record Run(int code, String out, String err) {}

  static Run parley(Path home, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--server", "127.0.0.1:" + fixture.parley.tcpPort(), "--home", home.toString()));
    all.addAll(List.of(args));
    int code = new ParleyCli(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of())
        .run(all.toArray(String[]::new));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String signup(Path home, String user) {
    Run run = parley(home, user + "\n" + user + "@example.org\nTest " + user + "\n1990-01-01\n" + ChatFixture.PASSWORD + "\n", "signup");
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

    Run created = parley(aliceHome, "", "create", "club", bob);
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).startsWith("created ");
    Run sent = parley(aliceHome, "", "send", "club", "hello", "from", "the", "script");
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(sent.out()).contains("sealed for 2 devices");
    // Second contact: the fingerprint is known and not announced again.
    assertThat(sent.err()).doesNotContain("New server");

    Run rooms = parley(bobHome, "", "rooms");
    assertThat(rooms.out()).contains("club").contains("group").contains("1 unread");
    Run history = parley(bobHome, "", "history", "1");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.out()).contains(alice + ": hello from the script").contains(alice + " created the room");

    Run interactive = parley(bobHome, "/open club\nhi alice, typed interactively\n/members\n/edit 2 hi alice, edited\n/quit\n");
    assertThat(interactive.code()).as(interactive.err()).isZero();
    assertThat(interactive.out())
        .contains("Logged in as " + bob)
        .contains("[1] " + alice + ": hello from the script")
        .contains("[2] " + bob + ": hi alice, typed interactively")
        .contains(alice + " (owner)")
        .contains(bob + " edited a message: hi alice, edited");

    Run aliceReads = parley(aliceHome, "", "history", "club");
    assertThat(aliceReads.out())
        .contains(bob + ": hi alice, typed interactively")
        .contains(bob + " edited a message: hi alice, edited")
        .doesNotContain("undecryptable").doesNotContain("UNVERIFIED");
  }

  @Test
  void a_changed_server_identity_is_refused_with_a_clear_message() throws Exception {
    Path home = fixture.homes.resolve("cli-pinned");
    Files.createDirectories(home);
    Files.writeString(home.resolve("known_servers"), "127.0.0.1:" + fixture.parley.tcpPort() + " " + "cd".repeat(32) + "\n");
    Run run = parley(home, "", "rooms");
    assertThat(run.code()).isEqualTo(3);
    assertThat(run.err()).contains("server identity of 127.0.0.1:" + fixture.parley.tcpPort() + " changed").contains("Refusing to connect");
  }

  @Test
  void a_corrupted_key_file_is_reported_not_used() throws Exception {
    Path home = fixture.homes.resolve("cli-corrupted");
    Files.createDirectories(home);
    Files.writeString(home.resolve("chat-key.pem"), "this is not a key\n");
    Files.setPosixFilePermissions(home.resolve("chat-key.pem"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Run run = parley(home, "", "rooms");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("chat-key.pem is corrupted").contains("Restore it from a backup");
  }

  @Test
  void commands_without_a_login_say_what_to_do() throws Exception {
    Run run = parley(fixture.homes.resolve("cli-fresh"), "", "rooms");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("not logged in on this device; run 'parley login'");
  }
}
