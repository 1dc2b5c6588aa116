package io.parley.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Linking a second device in the interactive {@code parley}, as a person does it: the new login shows
 * earlier messages as encrypted for the other devices, {@code /link} shows a code, {@code /link CODE}
 * on the first device shares the keys, and the new device then shows the history.
 */
class CliLinkTest {
  static ChatFixture fixture;
  static CliRunner cli;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ChatFixture(CliLinkTest.class.getSimpleName());
    cli = new CliRunner(fixture);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static LiveCli live(Path home) throws Exception {
    return new LiveCli("--server", "127.0.0.1:" + fixture.parley.tcpPort(), "--home", home.toString());
  }

  @Test
  void a_second_device_reads_earlier_messages_once_the_first_approves_its_code() throws Exception {
    Path adaHome = fixture.homes.resolve("cli_link_a");
    Path adaSecond = fixture.homes.resolve("cli_link_a2");
    Path bobHome = fixture.homes.resolve("cli_link_b");
    String ada = cli.signup(adaHome, ChatFixture.newUsername("cli_link_a"));
    String bob = cli.signup(bobHome, ChatFixture.newUsername("cli_link_b"));
    assertThat(cli.parley(adaHome, "", "dm", bob).code()).isZero();
    assertThat(cli.parley(adaHome, "", "send", bob, "before the second device").code()).isZero();
    assertThat(cli.parley(bobHome, "", "send", ada, "a reply from bob").code()).isZero();
    CliRunner.Run login = cli.parley(adaSecond, ChatFixture.PASSWORD + "\n", "login", ada);
    assertThat(login.code()).as(login.err()).isZero();

    CliRunner.Run unlinked = cli.parley(adaSecond, "", "history", "1");
    assertThat(unlinked.out()).contains("[encrypted for your other devices, not this one").doesNotContain("a reply from bob");

    LiveCli second = live(adaSecond);
    second.type("/link");
    int at = second.awaitScreen("Earlier messages were encrypted for your other devices", 0);
    at = second.awaitScreen("  /link ", at);
    Matcher code = Pattern.compile("/link ([2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3})").matcher(second.screen());
    assertThat(code.find()).as(second.screen()).isTrue();

    CliRunner.Run approve = cli.parley(adaHome, "/link " + code.group(1) + "\n/quit\n");
    assertThat(approve.out()).as(approve.err()).contains("shared the keys of 2 earlier messages with your new device");

    at = second.awaitScreen("(linked: 2 earlier messages are readable here now", at);
    second.type("/dm " + bob);
    second.awaitScreen(bob + ": a reply from bob", at);
    second.type("/quit");
    assertThat(second.finish()).isZero();
    assertThat(second.screen()).contains(ada + ": before the second device");
  }
}
