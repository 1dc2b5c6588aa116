package io.parley.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.cli.ParleyCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An interactive {@code parley} running in the background while the test types one line at a time
 * and waits for what a person would wait for on the screen.
 */
final class LiveCli {
  private final PipedOutputStream keyboard = new PipedOutputStream();
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final CompletableFuture<Integer> exit;

  LiveCli(String... args) throws IOException {
    PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
    PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
    exit = CompletableFuture.supplyAsync(() -> new ParleyCli(in, out, out, Map.of()).run(args));
  }

  void type(String line) throws IOException {
    keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
  }

  String screen() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** Polls the screen until {@code text} appears after {@code from} (a position in it), for at most 60 s. */
  int awaitScreen(String text, int from) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String now = screen();
      int at = now.indexOf(text, from);
      if (at >= 0) {
        return at + text.length();
      }
      assertThat(System.nanoTime()).as("'%s' on the screen; it shows:%n%s", text, now).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** Ends the input and waits for the exit code. */
  int finish() throws Exception {
    keyboard.close();
    return exit.get(90, TimeUnit.SECONDS);
  }
}
