package io.parley.shared.protocol;

/**
 * Strict UTF-8 (RFC 3629) checked in place: the shortest form only, no encoded surrogates, nothing
 * above U+10FFFF. Accepts exactly what the JDK's reporting UTF-8 decoder accepts, without decoding:
 * the decoder allocated a char array of the whole packet for every packet received, the largest
 * single allocation of the gateway's read path in a profile of the direct benchmark.
 */
final class Utf8 {
  private Utf8() {
  }

  static boolean isValid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      if (b < 0xC2 || b > 0xF4) {
        // A continuation byte where a character should start, an overlong two-byte lead (C0, C1), or
        // a lead of more than four bytes or above U+10FFFF (F5-FF).
        return false;
      }
      if (b < 0xE0) {
        if (i + 1 >= n || !continuation(bytes[i + 1])) {
          return false;
        }
        i += 2;
      } else if (b < 0xF0) {
        if (i + 2 >= n || !continuation(bytes[i + 2])) {
          return false;
        }
        int second = bytes[i + 1] & 0xFF;
        // E0 needs A0-BF (else overlong), ED needs 80-9F (else a surrogate), the others 80-BF.
        int low = b == 0xE0 ? 0xA0 : 0x80;
        int high = b == 0xED ? 0x9F : 0xBF;
        if (second < low || second > high) {
          return false;
        }
        i += 3;
      } else {
        if (i + 3 >= n || !continuation(bytes[i + 2]) || !continuation(bytes[i + 3])) {
          return false;
        }
        int second = bytes[i + 1] & 0xFF;
        // F0 needs 90-BF (else overlong), F4 needs 80-8F (else above U+10FFFF).
        int low = b == 0xF0 ? 0x90 : 0x80;
        int high = b == 0xF4 ? 0x8F : 0xBF;
        if (second < low || second > high) {
          return false;
        }
        i += 4;
      }
    }
    return true;
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
