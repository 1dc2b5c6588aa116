package io.parley.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.cli.ParleyCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the {@code parley} CLI in-process with piped stdin/stdout against a fixture's server, as a person types. */
final class CliRunner {
  private final int port;

  CliRunner(ChatFixture fixture) {
    this(fixture.parley.tcpPort());
  }

  /** Through another port than the server's own (a relay in front of it). */
  CliRunner(int port) {
    this.port = port;
  }

  record Run(int code, String out, String err) {
    /** The number the output shows before {@code sender}'s message {@code text}. */
    long numberOf(String sender, String text) {
      Matcher m = Pattern.compile("\\[(\\d+)] " + Pattern.quote(sender) + ": " + Pattern.quote(text)).matcher(out);
      assertThat(m.find()).as("a numbered message '%s: %s' in:%n%s", sender, text, out).isTrue();
      return Long.parseLong(m.group(1));
    }
  }

  Run parley(Path home, String stdin, String... args) {
    return parley(home, stdin, Map.of(), args);
  }

  Run parley(Path home, String stdin, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--server", "127.0.0.1:" + port, "--home", home.toString()));
    all.addAll(List.of(args));
    int code = new ParleyCli(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env)
        .run(all.toArray(String[]::new));
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The answers to the sign-up questions, the password typed twice. */
  static String signupAnswers(String user) {
    return user + "\n" + user + "@example.org\nTest " + user + "\n1990-01-01\n" + ChatFixture.PASSWORD + "\n" + ChatFixture.PASSWORD + "\n";
  }

  String signup(Path home, String user) {
    Run run = parley(home, signupAnswers(user), "signup");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Account " + user + " created.");
    return user;
  }
}
