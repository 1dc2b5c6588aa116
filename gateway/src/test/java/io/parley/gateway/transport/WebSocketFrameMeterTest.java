package io.parley.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The meter follows RFC 6455 framing from raw bytes, as a client sends them (masked). */
class WebSocketFrameMeterTest {
  private final WebSocketFrameMeter meter = new WebSocketFrameMeter();

  /** A masked client frame: FIN bit, opcode, payload of {@code length} zero bytes. */
  static ByteBuf frame(boolean fin, int opcode, int length) {
    ByteBuf out = Unpooled.buffer();
    out.writeByte((fin ? 0x80 : 0) | opcode);
    if (length < 126) {
      out.writeByte(0x80 | length);
    } else if (length < 65536) {
      out.writeByte(0x80 | 126).writeShort(length);
    } else {
      out.writeByte(0x80 | 127).writeLong(length);
    }
    out.writeInt(0x11223344);
    out.writeZero(length);
    return out;
  }

  @Test
  void a_whole_message_leaves_nothing_held() {
    meter.feed(frame(true, 0x2, 300));

    assertThat(meter.heldBytes()).isZero();
    assertThat(meter.inFrame()).isFalse();
  }

  @Test
  void a_frame_fed_byte_by_byte_is_held_until_its_last_byte() {
    ByteBuf whole = frame(true, 0x1, 70_000);
    int total = whole.readableBytes();
    for (int i = 0; i < total - 1; i++) {
      meter.feed(whole.retainedSlice(i, 1));
    }
    assertThat(meter.heldBytes()).isEqualTo(total - 1);

    meter.feed(whole.retainedSlice(total - 1, 1));

    assertThat(meter.heldBytes()).isZero();
  }

  @Test
  void a_fragmented_message_is_held_until_its_final_fragment_even_across_a_ping() {
    ByteBuf first = frame(false, 0x2, 100);
    ByteBuf ping = frame(true, 0x9, 4);
    ByteBuf last = frame(true, 0x0, 50);
    meter.feed(first);
    meter.feed(ping);
    assertThat(meter.heldBytes()).isEqualTo(first.writerIndex() + ping.writerIndex());

    meter.feed(last);

    assertThat(meter.heldBytes()).isZero();
  }

  @Test
  void a_ping_between_messages_is_not_a_started_message_once_complete() {
    meter.feed(frame(true, 0x9, 0));

    assertThat(meter.inFrame()).isFalse();
  }

  @Test
  void a_frame_that_announces_a_gigabyte_counts_only_the_bytes_received() {
    ByteBuf header = Unpooled.buffer().writeByte(0x82).writeByte(0x80 | 127).writeLong(1L << 30).writeInt(0);
    meter.feed(header);
    meter.feed(Unpooled.wrappedBuffer(new byte[1000]));

    assertThat(meter.heldBytes()).isEqualTo(14 + 1000);
  }

  @Test
  void two_messages_in_one_read_leave_nothing_held() {
    meter.feed(Unpooled.wrappedBuffer(frame(true, 0x2, 10), frame(true, 0x2, 20)));

    assertThat(meter.heldBytes()).isZero();
  }
}
