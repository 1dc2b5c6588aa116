package io.parley.client.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.jline.reader.Buffer;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;
import org.jline.utils.NonBlockingReader;

/**
 * Keeps a paste from freezing the prompt. JLine redraws the whole line after every inserted
 * character, so text pasted into a terminal without bracketed paste costs time growing with the
 * square of its length (5 KB took seconds, 100 KB never finished, and Ctrl-C waited behind it).
 * Here a typed character also takes every printable character already waiting in the input, so a
 * paste is inserted in one step and drawn once.
 *
 * <p>A line that grows past {@link TextLimit#MAX_TEXT_BYTES} is cleared, the person is told once,
 * and the rest of that paste is dropped as it arrives: up to the end of its line, or until the input
 * pauses for {@link #PASTE_TAIL_NANOS} (a paste can arrive in several bursts). A bracketed paste is
 * known whole, so one that is too long is dropped alone and the line keeps what was typed before it.
 * Control characters (Enter, Ctrl-C, escape sequences) end a burst and are left to JLine.
 */
final class PasteGuard {
  /** How long to wait for the next character of a burst: a paste arrives faster, a person types slower. */
  private static final long BURST_GAP_MS = 1;

  /** After a refusal, input arriving within this pause still belongs to the refused paste. */
  private static final long PASTE_TAIL_NANOS = 1_000_000_000L;

  private final LineReader reader;
  private final Consumer<String> tell;
  private boolean refusing;
  private long lastRefusedAt;

  private PasteGuard(LineReader reader, Consumer<String> tell) {
    this.reader = reader;
    this.tell = tell;
  }

  static void install(LineReader reader, Consumer<String> tell) {
    PasteGuard guard = new PasteGuard(reader, tell);
    Widget selfInsert = reader.getWidgets().get(LineReader.SELF_INSERT);
    Widget beginPaste = reader.getWidgets().get(LineReader.BEGIN_PASTE);
    reader.getWidgets().put(LineReader.SELF_INSERT, () -> guard.insertBurst(selfInsert));
    if (beginPaste != null) {
      reader.getWidgets().put(LineReader.BEGIN_PASTE, () -> guard.bounded(beginPaste));
    }
  }

  private boolean insertBurst(Widget selfInsert) {
    if (refusing && System.nanoTime() - lastRefusedAt > PASTE_TAIL_NANOS) {
      refusing = false;
    }
    if (!refusing && !selfInsert.apply()) {
      return false;
    }
    StringBuilder burst = new StringBuilder();
    long bytes = refusing ? 0 : utf8Bytes(reader.getBuffer());
    boolean lineEnded = false;
    NonBlockingReader in = reader.getTerminal().reader();
    try {
      while (true) {
        int next = in.peek(BURST_GAP_MS);
        if (next < 0) {
          break;
        }
        if (Character.isISOControl(next)) {
          lineEnded = true;
          break;
        }
        in.read(BURST_GAP_MS);
        if (refusing) {
          continue;
        }
        bytes += utf8Bytes((char) next);
        burst.append((char) next);
        if (bytes > TextLimit.MAX_TEXT_BYTES) {
          refuse();
          burst.setLength(0);
        }
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt(); // Ctrl-C: JLine's next read turns it into UserInterruptException
    } catch (IOException e) {
      // The terminal failed; JLine's own read reports it.
    }
    if (refusing) {
      lastRefusedAt = System.nanoTime();
      refusing = !lineEnded;
      return true;
    }
    reader.getBuffer().write(burst);
    return true;
  }

  private void refuse() {
    refusing = true;
    reader.getBuffer().clear();
    tell.accept("too long (over " + TextLimit.MAX_TEXT_BYTES / 1024 + " KB, the limit): the line was cleared and nothing was sent");
  }

  private boolean bounded(Widget beginPaste) {
    Buffer before = reader.getBuffer().copy();
    boolean applied = beginPaste.apply();
    long bytes = utf8Bytes(reader.getBuffer());
    if (bytes > TextLimit.MAX_TEXT_BYTES) {
      reader.getBuffer().copyFrom(before);
      tell.accept(TextLimit.refusalForBytes(bytes).orElseThrow());
    }
    return applied;
  }

  private static long utf8Bytes(Buffer buffer) {
    return buffer.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  /** A surrogate half counts 2: the pair is 4 bytes in UTF-8. */
  private static int utf8Bytes(char c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
  }
}
