package io.parley.bench;

import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;

/**
 * What the bench writes at the start of each message's content, so that a push or a synced event
 * says which message it is without a lookup: the run (or step) it belongs to, its index in that run,
 * and when it was sent ({@link System#nanoTime}, for latency). The rest of the content is padding.
 */
record MessageStamp(int run, int index, long sentAtNanos) {
  static final int BYTES = 16;
  /** Base64 characters that carry the {@value #BYTES} header bytes. */
  private static final int ENCODED_CHARS = 24;

  /** Content of {@code messageBytes} (at least the header), Base64 as CHAT_ACTION carries it. */
  String content(int messageBytes) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(BYTES, messageBytes));
    buffer.putInt(run).putInt(index).putLong(sentAtNanos);
    return Base64.getEncoder().encodeToString(buffer.array());
  }

  /** The stamp of a live ROOM_EVENT push of a sent message; empty for any other packet. */
  static Optional<MessageStamp> ofPush(Envelope packet) {
    if (!packet.is(PacketType.ROOM_EVENT) || !RoomEventKind.MESSAGE_SENT.wire().equals(packet.data().getString("kind"))) {
      return Optional.empty();
    }
    return ofContent(packet.data().getJsonObject("data", new JsonObject()).getString("content"));
  }

  /** The stamp of a synced MESSAGE_SENT event; empty for other kinds. */
  static Optional<MessageStamp> ofEvent(RoomEvent event) {
    return event.kind() == RoomEventKind.MESSAGE_SENT ? ofContent(event.data().getString("content")) : Optional.empty();
  }

  private static Optional<MessageStamp> ofContent(String content) {
    if (content == null || content.length() < ENCODED_CHARS) {
      return Optional.empty();
    }
    ByteBuffer header = ByteBuffer.wrap(Base64.getDecoder().decode(content.substring(0, ENCODED_CHARS)));
    return Optional.of(new MessageStamp(header.getInt(), header.getInt(), header.getLong()));
  }
}
