package io.parley.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PacketCodecTest {
  final PacketCodec codec = new PacketCodec(4);

  Envelope decode(String json) throws MalformedPacketException {
    return codec.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void an_envelope_round_trips_with_its_id() throws Exception {
    Envelope envelope = decode("{\"type\":\"LOGIN\",\"id\":\"7\",\"data\":{\"id\":\"alice\"}}");

    assertThat(envelope.packetType()).contains(PacketType.LOGIN);
    assertThat(envelope.id()).isEqualTo("7");
    assertThat(codec.decode(codec.encode(envelope))).isEqualTo(envelope);
  }

  @Test
  void absent_data_reads_as_an_empty_object() throws Exception {
    assertThat(decode("{\"type\":\"LOGOUT\"}").data().isEmpty()).isTrue();
  }

  @Test
  void bytes_that_are_not_a_json_object_are_malformed() {
    assertThatThrownBy(() -> decode("[1,2]")).isInstanceOf(MalformedPacketException.class);
    assertThatThrownBy(() -> decode("{\"type\":")).isInstanceOf(MalformedPacketException.class);
    assertThatThrownBy(() -> decode("{} {}")).isInstanceOf(MalformedPacketException.class);
  }

  @Test
  void duplicate_keys_are_malformed_so_no_two_parsers_disagree() {
    assertThatThrownBy(() -> decode("{\"type\":\"LOGIN\",\"type\":\"LOGOUT\"}"))
        .isInstanceOf(MalformedPacketException.class);
  }

  @Test
  void the_reason_for_malformed_json_quotes_nothing_of_the_input() {
    assertThatThrownBy(() -> decode("{\"type\":\"LOGIN\",\"data\":{\"password\":hunter2hunter2}}"))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessage("not valid JSON");
  }

  @Test
  void only_utf8_is_a_packet_not_utf16_nor_overlong_or_surrogate_forms() {
    String packet = "{\"type\":\"LOGOUT\"}";
    assertThatThrownBy(() -> codec.decode(packet.getBytes(StandardCharsets.UTF_16BE))).hasMessage("not UTF-8");
    assertThatThrownBy(() -> codec.decode(packet.getBytes(StandardCharsets.UTF_16))).hasMessage("not UTF-8");
    assertThatThrownBy(() -> codec.decode(overlong(packet, 'O'))).hasMessage("not UTF-8");
    assertThatThrownBy(() -> codec.decode(withBytes(packet, "LOGOUT", new byte[] {'L', (byte) 0xED, (byte) 0xA0, (byte) 0x80})))
        .hasMessage("not UTF-8");
  }

  @Test
  void a_utf8_byte_order_mark_is_ignored() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    assertThat(codec.decode(withBytes("#{\"type\":\"LOGOUT\"}", "#", bom)).type()).isEqualTo("LOGOUT");
  }

  /** The packet with the first {@code c} written in the two-byte overlong form a strict decoder refuses. */
  private static byte[] overlong(String packet, char c) {
    return withBytes(packet, String.valueOf(c), new byte[] {(byte) (0xC0 | c >> 6), (byte) (0x80 | c & 0x3F)});
  }

  private static byte[] withBytes(String packet, String first, byte[] replacement) {
    byte[] bytes = packet.getBytes(StandardCharsets.UTF_8);
    int at = packet.indexOf(first);
    byte[] out = new byte[bytes.length - first.length() + replacement.length];
    System.arraycopy(bytes, 0, out, 0, at);
    System.arraycopy(replacement, 0, out, at, replacement.length);
    System.arraycopy(bytes, at + first.length(), out, at + replacement.length, bytes.length - at - first.length());
    return out;
  }

  @Test
  void nesting_deeper_than_the_limit_is_malformed() {
    assertThatThrownBy(() -> decode("{\"type\":\"X\",\"data\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}"))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageContaining("deeper");
  }

  @Test
  void a_missing_type_is_a_bad_field_that_keeps_the_request_id() {
    assertThatThrownBy(() -> decode("{\"id\":\"9\",\"data\":{}}"))
        .isInstanceOfSatisfying(
            PacketCodec.BadPacketEnvelope.class,
            e -> {
              assertThat(e.requestId()).isEqualTo("9");
              assertThat(e.toStatus().data().getString("desc")).startsWith("type");
            });
  }

  @Test
  void data_that_is_not_an_object_is_a_bad_field() {
    assertThatThrownBy(() -> decode("{\"type\":\"LOGIN\",\"data\":[]}"))
        .isInstanceOfSatisfying(
            PacketCodec.BadPacketEnvelope.class,
            e -> assertThat(e.toStatus().data().getString("desc")).startsWith("data"));
  }
}
