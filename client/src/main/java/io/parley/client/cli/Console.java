package io.parley.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Where the interactive chat reads lines and prints events. On a real terminal that is JLine, which
 * prints incoming events above the line being typed and masks passwords; on piped input (scripts,
 * tests) a plain line reader, which is deterministic: every line is read, in order, nothing echoed.
 */
interface Console extends AutoCloseable {
  /** The next line, or {@link EndOfFileException} at the end of input. */
  String readLine(String prompt);

  String readSecret(String prompt);

  /** Prints a line without disturbing what is being typed. */
  void printAbove(String text);

  @Override
  void close() throws IOException;

  static Console open(InputStream in, PrintStream out) throws IOException {
    if (in == System.in && System.console() != null) {
      return new JLine(TerminalBuilder.builder().system(true).build());
    }
    return new Plain(in, out);
  }

  final class JLine implements Console {
    private final Terminal terminal;
    private final LineReader reader;

    JLine(Terminal terminal) {
      this.terminal = terminal;
      this.reader = LineReaderBuilder.builder().terminal(terminal).appName("parley").build();
      PasteGuard.install(reader, reader::printAbove);
    }

    @Override
    public String readLine(String prompt) {
      return reader.readLine(prompt);
    }

    @Override
    public String readSecret(String prompt) {
      return reader.readLine(prompt, '*');
    }

    @Override
    public void printAbove(String text) {
      reader.printAbove(text);
    }

    @Override
    public void close() throws IOException {
      terminal.close();
    }
  }

  final class Plain implements Console {
    private final BufferedReader lines;
    private final PrintStream out;

    Plain(InputStream in, PrintStream out) {
      this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      this.out = out;
    }

    @Override
    public String readLine(String prompt) {
      synchronized (out) {
        out.print(prompt);
        out.flush();
      }
      try {
        String line = lines.readLine();
        if (line == null) {
          throw new EndOfFileException();
        }
        synchronized (out) {
          out.println(line);
        }
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String readSecret(String prompt) {
      synchronized (out) {
        out.print(prompt);
        out.flush();
      }
      try {
        String line = lines.readLine();
        if (line == null) {
          throw new EndOfFileException();
        }
        out.println();
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void printAbove(String text) {
      synchronized (out) {
        out.println(text);
      }
    }

    @Override
    public void close() {}
  }
}
