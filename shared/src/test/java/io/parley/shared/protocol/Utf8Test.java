package io.parley.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-place check accepts exactly what the JDK's strict decoder accepts. */
class Utf8Test {

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  @Test
  void the_boundaries_of_each_length_overlongs_surrogates_and_truncations() {
    int[][] cases = {
        {}, {0x41}, {0x7F}, {0x80}, {0xBF}, {0xC0, 0x80}, {0xC1, 0xBF}, {0xC2, 0x80}, {0xDF, 0xBF}, {0xC2}, {0xC2, 0x41},
        {0xE0, 0x9F, 0xBF}, {0xE0, 0xA0, 0x80}, {0xEC, 0xBF, 0xBF}, {0xED, 0x9F, 0xBF}, {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF},
        {0xEE, 0x80, 0x80}, {0xEF, 0xBF, 0xBF}, {0xE1, 0x80}, {0xE1, 0x80, 0x41}, {0xE1, 0x41, 0x80},
        {0xF0, 0x8F, 0xBF, 0xBF}, {0xF0, 0x90, 0x80, 0x80}, {0xF3, 0xBF, 0xBF, 0xBF}, {0xF4, 0x8F, 0xBF, 0xBF},
        {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80}, {0xFF}, {0xF0, 0x90, 0x80},
        {0xF1, 0x80, 0x41, 0x80}, {0x41, 0xE2, 0x82, 0xAC, 0x42},
    };
    for (int[] values : cases) {
      byte[] input = bytes(values);
      assertThat(Utf8.isValid(input)).as("%s", java.util.Arrays.toString(values)).isEqualTo(jdkAccepts(input));
    }
  }

  @Test
  void random_bytes_and_random_text_are_judged_as_the_jdk_judges_them() {
    Random random = new Random(18);
    int valid = 0;
    for (int round = 0; round < 200_000; round++) {
      byte[] input;
      if (round % 2 == 0) {
        input = new byte[random.nextInt(8)];
        random.nextBytes(input);
      } else {
        StringBuilder text = new StringBuilder();
        for (int c = random.nextInt(6); c > 0; c--) {
          text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x110000));
        }
        input = text.toString().getBytes(StandardCharsets.UTF_8);
        if (input.length > 0 && random.nextBoolean()) {
          input[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      boolean expected = jdkAccepts(input);
      valid += expected ? 1 : 0;
      assertThat(Utf8.isValid(input)).as("%s", java.util.Arrays.toString(input)).isEqualTo(expected);
    }
    assertThat(valid).as("both kinds were tried").isBetween(10_000, 190_000);
  }
}
