package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MessageStampTest {
  @Test
  void the_template_writes_what_encoding_the_whole_padded_buffer_would() {
    MessageStamp stamp = new MessageStamp(7, 123_456, 987_654_321_012L);
    for (int bytes : new int[] {1, 16, 17, 18, 19, 20, 21, 128, 1000}) {
      MessageStamp.Template template = new MessageStamp.Template(bytes);

      assertThat(template.content(stamp)).as("%d bytes", bytes).isEqualTo(wholeBuffer(stamp, bytes));
      assertThat(template.content(new MessageStamp(8, 1, 2))).as("reused, %d bytes", bytes).isEqualTo(wholeBuffer(new MessageStamp(8, 1, 2), bytes));
    }
  }

  @Test
  void a_pushed_message_gives_back_its_stamp_and_other_packets_none() {
    MessageStamp stamp = new MessageStamp(3, 42, 1_000_000L);
    JsonObject event = new JsonObject().put("kind", RoomEventKind.MESSAGE_SENT.wire())
        .put("data", new JsonObject().put("content", new MessageStamp.Template(128).content(stamp)));

    assertThat(MessageStamp.pushed(Envelope.of(PacketType.ROOM_EVENT, event))).isEqualTo(stamp);
    assertThat(MessageStamp.pushed(Envelope.of(PacketType.ROOM_EVENT, event.copy().put("data", new JsonObject())))).isNull();
    assertThat(MessageStamp.pushed(Envelope.of(PacketType.STATUS, event))).isNull();
  }

  private static String wholeBuffer(MessageStamp stamp, int bytes) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(MessageStamp.BYTES, bytes));
    buffer.putInt(stamp.run()).putInt(stamp.index()).putLong(stamp.sentAtNanos());
    return Base64.getEncoder().encodeToString(buffer.array());
  }
}
