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
 * paste is inserted in one step and drawn once; a burst or bracketed paste that would make the line
 * longer than {@link TextLimit#MAX_TEXT_BYTES} is dropped, the line is left as it was, and the person
 * is told why. Control characters (Enter, Ctrl-C, escape sequences) end a burst and are left to JLine.
 */
final class PasteGuard {
  /** How long to wait for the next character of a burst: a paste arrives faster, a person types slower. */
  private static final long BURST_GAP_MS = 1;

  private final LineReader reader;
  private final Consumer<String> tell;

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
    Buffer before = reader.getBuffer().copy();
    if (!selfInsert.apply()) {
      return false;
    }
    StringBuilder burst = new StringBuilder();
    long bytes = utf8Bytes(reader.getBuffer());
    boolean tooLong = false;
    NonBlockingReader in = reader.getTerminal().reader();
    try {
      while (true) {
        int next = in.peek(BURST_GAP_MS);
        if (next < 0 || Character.isISOControl(next)) {
          break;
        }
        in.read(BURST_GAP_MS);
        bytes += utf8Bytes((char) next);
        if (bytes > TextLimit.MAX_TEXT_BYTES) {
          tooLong = true;
          burst.setLength(0); // only counted from here on: its length is all the message needs
        } else {
          burst.append((char) next);
        }
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt(); // Ctrl-C: JLine's next read turns it into UserInterruptException
    } catch (IOException e) {
      // The terminal failed; JLine's own read reports it.
    }
    if (tooLong) {
      reader.getBuffer().copyFrom(before);
      tell.accept(TextLimit.refusalForBytes(bytes).orElseThrow());
      return true;
    }
    reader.getBuffer().write(burst);
    return true;
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
