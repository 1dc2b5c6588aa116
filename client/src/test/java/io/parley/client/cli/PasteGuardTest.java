package io.parley.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

/**
 * Text pasted into a terminal that does not bracket pastes arrives as fast keystrokes: the guard
 * inserts it in bursts (without it 100 KB took many minutes) and refuses what is over the limit.
 */
class PasteGuardTest {

  /** The input stays open after {@code typed}, as a terminal's does: only the typed Enter ends the line. */
  private static String readOneLine(String typed, List<String> told) throws Exception {
    PipedOutputStream keyboard = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keyboard, 1 << 20);
    keyboard.write(typed.getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
    try (Terminal terminal = new ExternalTerminal("test", "xterm", in, new ByteArrayOutputStream(), StandardCharsets.UTF_8)) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
      PasteGuard.install(reader, told::add);
      return reader.readLine("> ");
    } finally {
      keyboard.close();
    }
  }

  @Test
  void a_paste_under_the_limit_arrives_whole() throws Exception {
    List<String> told = new ArrayList<>();
    String text = "word ".repeat(10_000);
    assertThat(readOneLine(text + "\r", told)).isEqualTo(text);
    assertThat(told).isEmpty();
  }

  @Test
  void a_paste_over_the_limit_clears_the_line_and_is_dropped_to_its_end() throws Exception {
    List<String> told = new ArrayList<>();
    String line = readOneLine("typed " + "x".repeat(100 * 1024) + "\rnext\r", told);
    assertThat(told).containsExactly("too long (over 60 KB, the limit): the line was cleared and nothing was sent");
    assertThat(line).isEmpty();
  }

  @Test
  void a_bracketed_paste_over_the_limit_is_dropped_too() throws Exception {
    List<String> told = new ArrayList<>();
    String line = readOneLine("typed \033[200~" + "y".repeat(70 * 1024) + "\033[201~\r", told);
    assertThat(told).containsExactly("too long (71 KB, limit 60 KB); not sent");
    assertThat(line).isEqualTo("typed ");
  }

  @Test
  void ctrl_c_in_the_middle_of_a_long_paste_interrupts_the_line() {
    List<String> told = new ArrayList<>();
    assertThatThrownBy(() -> readOneLine("z".repeat(200 * 1024) + "\u0003" + "z".repeat(1024), told))
        .isInstanceOf(UserInterruptException.class);
  }

  @Test
  void the_refusal_is_printed_above_the_prompt_of_a_real_console() throws Exception {
    PipedOutputStream keyboard = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keyboard, 1 << 20);
    keyboard.write(("x".repeat(70 * 1024) + "\r").getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    try (Terminal terminal = new ExternalTerminal("test", "xterm", in, screen, StandardCharsets.UTF_8)) {
      Console.JLine console = new Console.JLine(terminal);
      assertThat(console.readLine("> ")).isEmpty();
    } finally {
      keyboard.close();
    }
    assertThat(screen.toString(StandardCharsets.UTF_8)).contains("too long (over 60 KB, the limit)");
  }
}
