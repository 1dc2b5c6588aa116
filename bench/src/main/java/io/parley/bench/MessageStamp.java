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
  /** Header bytes as encoded: the stamp and two zero bytes, a whole number of Base64 quanta. */
  private static final int HEADER_BYTES = 18;
  /** Base64 characters that carry the {@value #HEADER_BYTES} header bytes. */
  private static final int ENCODED_CHARS = 24;

  /** Content of {@code messageBytes} (at least the header), Base64 as CHAT_ACTION carries it. */
  String content(int messageBytes) {
    return new Template(messageBytes).content(this);
  }

  /**
   * The content of one message size, with its padding encoded once: a message then costs the
   * encoding of its {@value #HEADER_BYTES}-byte header and one concatenation. Not thread-safe (one
   * header buffer): one per event loop.
   */
  static final class Template {
    private final int bytes;
    /** The encoded zero padding past the header, or null when the content is shorter than the header. */
    private final String padding;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);

    Template(int messageBytes) {
      this.bytes = Math.max(BYTES, messageBytes);
      // HEADER_BYTES is a multiple of 3, so the padding after it encodes the same whatever the header holds.
      this.padding = bytes < HEADER_BYTES ? null : Base64.getEncoder().encodeToString(new byte[bytes - HEADER_BYTES]);
    }

    String content(MessageStamp stamp) {
      if (padding == null) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        buffer.putInt(stamp.run()).putInt(stamp.index()).putLong(stamp.sentAtNanos());
        return Base64.getEncoder().encodeToString(buffer.array());
      }
      header.clear();
      header.putInt(stamp.run()).putInt(stamp.index()).putLong(stamp.sentAtNanos());
      return Base64.getEncoder().encodeToString(header.array()).concat(padding);
    }
  }

  /** The stamp of a live ROOM_EVENT push of a sent message; empty for any other packet. */
  static Optional<MessageStamp> ofPush(Envelope packet) {
    return Optional.ofNullable(pushed(packet));
  }

  /** The stamp of a live ROOM_EVENT push of a sent message, or null (no Optional on the per-delivery path). */
  static MessageStamp pushed(Envelope packet) {
    if (!packet.is(PacketType.ROOM_EVENT) || !RoomEventKind.MESSAGE_SENT.wire().equals(packet.data().getString("kind"))) {
      return null;
    }
    return packet.data().getValue("data") instanceof JsonObject data ? parse(data.getString("content")) : null;
  }

  /** The stamp of a synced MESSAGE_SENT event; empty for other kinds. */
  static Optional<MessageStamp> ofEvent(RoomEvent event) {
    return event.kind() == RoomEventKind.MESSAGE_SENT ? Optional.ofNullable(parse(event.data().getString("content"))) : Optional.empty();
  }

  private static MessageStamp parse(String content) {
    if (content == null || content.length() < ENCODED_CHARS) {
      return null;
    }
    byte[] ascii = new byte[ENCODED_CHARS];
    content.getBytes(0, ENCODED_CHARS, ascii, 0); // Base64 is ASCII: the deprecated byte copy is exact and allocation-light
    ByteBuffer header = ByteBuffer.wrap(Base64.getDecoder().decode(ascii));
    return new MessageStamp(header.getInt(), header.getInt(), header.getLong());
  }
}
