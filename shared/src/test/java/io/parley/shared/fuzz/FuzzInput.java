package io.parley.shared.fuzz;

import java.util.Arrays;

/**
 * Reads a fuzz input as a sequence of small fields. Reading past the end gives zeros and empty byte
 * strings, so every byte string is a valid input and a mutation never wastes an execution on a
 * format error.
 */
final class FuzzInput {
  private final byte[] data;
  private int pos;

  FuzzInput(byte[] data) {
    this.data = data;
  }

  boolean hasMore() {
    return pos < data.length;
  }

  int u8() {
    return pos < data.length ? data[pos++] & 0xff : 0;
  }

  int u16() {
    return u8() << 8 | u8();
  }

  /** The next {@code n} bytes, or fewer when the input ends first. */
  byte[] bytes(int n) {
    int end = (int) Math.min(data.length, (long) pos + n);
    byte[] bytes = Arrays.copyOfRange(data, pos, end);
    pos = end;
    return bytes;
  }
}
