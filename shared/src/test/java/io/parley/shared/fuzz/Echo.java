package io.parley.shared.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Finds input that a refusal reason echoes. A reason names the frame or field and the rule, never
 * what the peer sent (docs/protocol.md §2.6 and §7, "Values are not echoed"); passwords and tokens
 * must not reach a reply or a log line through it.
 *
 * <p>Text shared by a reason and its input is only a suspect: a field name, a wire name or a limit
 * appears in both legitimately. To tell them apart, each shared piece is replaced in the input by a
 * canary of the same length and shape (ASCII letters become {@code q}, digits {@code 7}) and the
 * reason is computed again. If the new reason holds the canary, the reason copies the input. A
 * piece the protocol allows to quote is removed from both reasons by {@code permitted} first.
 */
final class Echo {

  /** Shorter shared pieces ("id", "got 3") are common by chance and tell nothing. */
  static final int MIN_ALNUM_CHARS = 4;
  private static final int MAX_SUSPECTS = 8;

  private Echo() {}

  /**
   * The piece of {@code input} that {@code reason} echoes, or null.
   *
   * @param reasonOf the refusal reason for an input, or null when the input is accepted
   * @param permitted removes from a reason what the protocol allows it to quote
   */
  static String find(byte[] input, String reason, Function<byte[], String> reasonOf, UnaryOperator<String> permitted) {
    for (String suspect : sharedPieces(new String(input, StandardCharsets.UTF_8), permitted.apply(reason))) {
      String canary = canary(suspect);
      byte[] replaced = replaceAll(input, suspect.getBytes(StandardCharsets.UTF_8), canary.getBytes(StandardCharsets.UTF_8));
      if (replaced == null) {
        continue;
      }
      String again = reasonOf.apply(replaced);
      if (again != null && permitted.apply(again).contains(canary)) {
        return suspect;
      }
    }
    return null;
  }

  /** Maximal pieces of {@code reason}, left to right, that also occur in {@code text}. */
  private static List<String> sharedPieces(String text, String reason) {
    List<String> pieces = new ArrayList<>();
    int i = 0;
    while (i < reason.length() && pieces.size() < MAX_SUSPECTS) {
      int end = i;
      while (end < reason.length() && text.contains(reason.substring(i, end + 1))) {
        end++;
      }
      String piece = reason.substring(i, end);
      if (alnumChars(piece) >= MIN_ALNUM_CHARS) {
        pieces.add(piece);
        i = end;
      } else {
        i++;
      }
    }
    return pieces;
  }

  private static int alnumChars(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (isAsciiAlnum(s.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Same length, same punctuation, same JSON role: letters stay letters, digits stay digits. */
  static String canary(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        out.append(c == '7' ? '3' : '7');
      } else if (isAsciiAlnum(c)) {
        out.append(c == 'q' ? 'z' : 'q');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code input} with every occurrence of {@code needle} replaced (same length), or null if none. */
  private static byte[] replaceAll(byte[] input, byte[] needle, byte[] replacement) {
    if (needle.length == 0 || needle.length != replacement.length) {
      return null;
    }
    byte[] out = input.clone();
    boolean found = false;
    for (int i = 0; i + needle.length <= out.length; i++) {
      if (regionMatches(input, i, needle)) {
        System.arraycopy(replacement, 0, out, i, replacement.length);
        found = true;
        i += needle.length - 1;
      }
    }
    return found ? out : null;
  }

  private static boolean regionMatches(byte[] input, int offset, byte[] needle) {
    for (int j = 0; j < needle.length; j++) {
      if (input[offset + j] != needle[j]) {
        return false;
      }
    }
    return true;
  }
}
