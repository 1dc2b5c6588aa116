package io.parley.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rough edges a person met in the {@code parley} terminal chat (issue 15), each driven as a person
 * types it against a standalone server: long input, /history, empty edits, plain-words errors, the
 * sign-up form, numbered edit/pin notices, /pins and the command-mode edit, delete and pin.
 */
class CliUsabilityTest {
  static ChatFixture fixture;
  static CliRunner cli;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ChatFixture(CliUsabilityTest.class.getSimpleName());
    cli = new CliRunner(fixture);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static Path home(String user) {
    return fixture.homes.resolve(user);
  }

  /** Two people with a direct room; returns the room's listing line of the first. */
  private static String[] pairWithDirectRoom(String a, String b) {
    String ada = cli.signup(home(a), ChatFixture.newUsername(a));
    String bob = cli.signup(home(b), ChatFixture.newUsername(b));
    CliRunner.Run dm = cli.parley(home(a), "", "dm", bob);
    assertThat(dm.code()).as(dm.err()).isZero();
    return new String[] {ada, bob};
  }

  @Test
  void a_message_over_the_limit_is_refused_up_front_and_nothing_is_sent() {
    String[] people = pairWithDirectRoom("long_a", "long_b");
    String huge = "x".repeat(100 * 1024);
    CliRunner.Run typed = cli.parley(home("long_a"), "/dm " + people[1] + "\n" + huge + "\nshort one\n/quit\n");
    assertThat(typed.code()).as(typed.err()).isZero();
    assertThat(typed.out()).contains("too long (100 KB, limit 60 KB); not sent");
    CliRunner.Run scripted = cli.parley(home("long_a"), "", "send", "1", huge);
    assertThat(scripted.code()).isEqualTo(1);
    assertThat(scripted.err()).contains("too long (100 KB, limit 60 KB); not sent");

    CliRunner.Run read = cli.parley(home("long_b"), "", "history", "1");
    assertThat(read.out()).contains(people[0] + ": short one").doesNotContain("xxxxxxxx");
  }

  @Test
  void history_in_an_open_room_prints_the_events_again() {
    String[] people = pairWithDirectRoom("hist_a", "hist_b");
    CliRunner.Run run = cli.parley(home("hist_a"), "/dm " + people[1] + "\nfirst words\n/history 5\n/quit\n");
    assertThat(run.code()).as(run.err()).isZero();
    String afterHistory = run.out().substring(run.out().indexOf("/history 5"));
    assertThat(afterHistory).contains(people[0] + ": first words").contains(people[0] + " created the room");
  }

  @Test
  void an_edit_without_text_is_refused_and_the_message_keeps_its_text() {
    String[] people = pairWithDirectRoom("edit_a", "edit_b");
    CliRunner.Run sent = cli.parley(home("edit_a"), "/dm " + people[1] + "\nkeep me\n/quit\n");
    long n = sent.numberOf(people[0], "keep me");
    CliRunner.Run edit = cli.parley(home("edit_a"), "/dm " + people[1] + "\n/edit " + n + "\n/edit " + n + "   \n/quit\n");
    assertThat(edit.out()).contains("say what the message should say: /edit N TEXT");
    CliRunner.Run read = cli.parley(home("edit_b"), "", "history", "1");
    assertThat(read.out()).contains("[" + n + "] " + people[0] + ": keep me").doesNotContain("(edited)");
  }

  @Test
  void refusals_are_plain_sentences_and_verbose_adds_the_protocol_detail() {
    String ada = cli.signup(home("plain_a"), ChatFixture.newUsername("plain_a"));
    CliRunner.Run plain = cli.parley(home("plain_a"), "/dm nobody_here\n/open nowhere\nhello?\n/quit\n");
    assertThat(plain.out())
        .contains("There is no user named 'nobody_here'.")
        .contains("no room 'nowhere'; /rooms lists them")
        .contains("open a room first: /rooms lists them")
        .doesNotContain("BAD_PACKET").doesNotContain("people[0]");
    CliRunner.Run scripted = cli.parley(home("plain_a"), "", "dm", "nobody_here");
    assertThat(scripted.err()).contains("parley: There is no user named 'nobody_here'.").doesNotContain("BAD_PACKET");
    CliRunner.Run verbose = cli.parley(home("plain_a"), "", "--verbose", "dm", "nobody_here");
    assertThat(verbose.err()).contains("There is no user named 'nobody_here'. [BAD_PACKET: people[0]: no such user 'nobody_here']");
    CliRunner.Run noRoom = cli.parley(home("plain_a"), "", "history", "nowhere");
    assertThat(noRoom.err()).contains("'parley rooms' lists them");
    assertThat(ada).isNotEmpty();
  }

  @Test
  void sign_up_checks_each_answer_as_typed_and_asks_again_only_what_was_refused() {
    String taken = cli.signup(home("form_taken"), ChatFixture.newUsername("form_taken"));
    String user = ChatFixture.newUsername("form_new");
    String answers = String.join("\n",
        "bad!name",             // refused at once: the alphabet
        taken,                  // passes the rules; the server says it is taken, after the password
        user + "@example.org",
        "  ",                   // a blank full name
        "Form Person",
        "31-12-1990",           // not YYYY-MM-DD
        "2999-01-01",           // not in the past
        "1990-12-31",
        "short",                // under 8 characters
        ChatFixture.PASSWORD,
        "a different password",  // the confirmation differs: both asked again
        ChatFixture.PASSWORD,
        ChatFixture.PASSWORD,
        user,                   // the new username, asked again on its own
        "");
    CliRunner.Run run = cli.parley(home("form_new"), answers, "signup");
    assertThat(run.code()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("The username may contain only letters a-z, digits, '_' and '.'.")
        .contains("The full name must not be blank.")
        .contains("The date of birth must be a date written YYYY-MM-DD.")
        .contains("The date of birth must be in the past.")
        .contains("The password must be")
        .contains("The two passwords differ")
        .contains("That username is taken; choose another.")
        .contains("Account " + user + " created.");
    // Only the username was asked after the server's refusal: one more "Username:", no more "Email:".
    String afterRefusal = run.out().substring(run.out().indexOf("That username is taken"));
    assertThat(afterRefusal).contains("Username: ").doesNotContain("Email: ").doesNotContain("Password: ");
  }

  @Test
  void edits_deletes_and_pins_name_their_message_and_work_from_scripts_too() {
    String[] people = pairWithDirectRoom("pin_a", "pin_b");
    String ada = people[0];
    CliRunner.Run sent = cli.parley(home("pin_a"), "/dm " + people[1] + "\nthe plan is tuesday\nsecond thought\n/quit\n");
    long plan = sent.numberOf(ada, "the plan is tuesday");
    long second = sent.numberOf(ada, "second thought");

    CliRunner.Run interactive = cli.parley(home("pin_a"),
        "/dm " + people[1] + "\n/edit " + plan + " the plan is wednesday\n/pin " + plan + "\n/pins\n/quit\n");
    assertThat(interactive.out())
        .contains(ada + " edited [" + plan + "]: the plan is wednesday")
        .contains(ada + " pinned [" + plan + "] \"the plan is wednesday\"")
        .contains("[" + plan + "] \"the plan is wednesday\"  (pinned by " + ada + ")");

    CliRunner.Run edit = cli.parley(home("pin_a"), "", "edit", "1", Long.toString(second), "second", "thought,", "edited");
    assertThat(edit.code()).as(edit.err()).isZero();
    CliRunner.Run pin = cli.parley(home("pin_a"), "", "pin", "1", Long.toString(second));
    assertThat(pin.code()).as(pin.err()).isZero();
    CliRunner.Run pins = cli.parley(home("pin_b"), "", "pins", "1");
    assertThat(pins.out()).contains("[" + plan + "] \"the plan is wednesday\"").contains("[" + second + "] \"second thought, edited\"");
    CliRunner.Run delete = cli.parley(home("pin_a"), "", "delete", "1", Long.toString(second), "changed", "my", "mind");
    assertThat(delete.code()).as(delete.err()).isZero();

    CliRunner.Run read = cli.parley(home("pin_b"), "", "history", "1");
    assertThat(read.out())
        .contains("[" + plan + "] " + ada + ": the plan is wednesday (edited)")
        .contains("[" + second + "] " + ada + ": [deleted]")
        .contains(ada + " deleted [" + second + "] (reason: changed my mind)")
        .contains(ada + " pinned [" + plan + "]")
        .doesNotContain("edited a message");

    CliRunner.Run rooms = cli.parley(home("pin_a"), "", "rooms");
    assertThat(rooms.out()).contains("direct").contains("  0 unread");
  }

  @Test
  void a_password_from_the_environment_that_breaks_a_rule_is_reported_not_looped_on() {
    String user = ChatFixture.newUsername("env_pw");
    CliRunner.Run run = cli.parley(home("env_pw"), user + "\n" + user + "@example.org\nEnv Person\n1990-01-01\n",
        Map.of("PARLEY_PASSWORD", "short"), "signup");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("The password must be").contains("PARLEY_PASSWORD");
  }
}
