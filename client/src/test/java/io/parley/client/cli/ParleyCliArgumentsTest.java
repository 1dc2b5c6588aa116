package io.parley.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code parley} CLI's argument parsing (picocli): help, and usage errors with exit code 2 that
 * name what was wrong. Every case here is refused before a connection is tried, so no server runs.
 */
class ParleyCliArgumentsTest {
  /** Every command of docs and README; the help must list each. */
  static final List<String> COMMANDS = List.of(
      "signup", "login", "logout", "devices", "revoke", "link", "rooms", "create", "dm", "send", "history",
      "edit", "delete", "pin", "pins", "members", "invite", "remove", "whoami", "delete-account");

  @TempDir
  Path home;

  record Run(int code, String out, String err) {}

  private Run parley(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new ParleyCli(
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env)
        .run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run parley(String... args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    all.addAll(List.of(args));
    return parley(Map.of(), all.toArray(String[]::new));
  }

  @Test
  void help_lists_every_option_and_command_and_exits_0() {
    Run run = parley("--help");
    assertThat(run.code()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).contains("Usage: parley", "--server=HOST:PORT", "--home=DIR", "--fingerprint=HEX", "--verbose",
        "Exit codes:", "PARLEY_PASSWORD");
    for (String command : COMMANDS) {
      assertThat(run.out()).containsPattern("(?m)^\\s+" + command + "\\s");
    }
  }

  @Test
  void help_for_one_command_shows_its_arguments() {
    Run run = parley("help", "send");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("Usage: parley send ROOM TEXT...").contains("send a message");
  }

  @Test
  void an_unknown_option_is_a_usage_error_with_exit_code_2() {
    Run run = parley("--colour", "rooms");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--colour'").contains("Usage: parley");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void an_option_without_its_value_is_a_usage_error() {
    Run run = parley("--fingerprint");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter for option '--fingerprint' (HEX)");
  }

  @Test
  void a_server_that_is_not_host_and_port_is_a_usage_error_from_the_option_or_the_environment() {
    Run flag = parley("--server", "127.0.0.1:seventy", "rooms");
    assertThat(flag.code()).isEqualTo(2);
    assertThat(flag.err()).contains("--server").contains("must be HOST:PORT, got 127.0.0.1:seventy");

    Run fromEnv = parley(Map.of("PARLEY_SERVER", "127.0.0.1:x"), "--home", home.toString(), "rooms");
    assertThat(fromEnv.code()).isEqualTo(2);
    assertThat(fromEnv.err()).contains("must be HOST:PORT, got 127.0.0.1:x");
  }

  @Test
  void a_command_missing_an_argument_names_it_and_shows_that_commands_usage() {
    Run run = parley("send", "1");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter").contains("TEXT").contains("Usage: parley send ROOM TEXT...");
  }

  @Test
  void an_unknown_command_or_a_bad_count_is_a_usage_error() {
    assertThat(parley("frobnicate").code()).isEqualTo(2);
    Run count = parley("history", "1", "many");
    assertThat(count.code()).isEqualTo(2);
    assertThat(count.err()).contains("'many' is not an int");
  }

  @Test
  void message_text_may_start_with_a_dash_so_parsing_passes_and_only_the_connection_fails() {
    // Nothing listens on port 1 of the loopback: exit 4 (cannot connect) shows the words were accepted as text.
    Run run = parley("--server", "127.0.0.1:1", "send", "1", "-1", "is", "--not-an-option");
    assertThat(run.code()).as(run.err()).isEqualTo(4);
    assertThat(run.err()).contains("cannot connect to 127.0.0.1:1");
  }
}
