package io.parley.shared.channel;

import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits a TCP byte stream into frames: a 4-byte big-endian unsigned length, then that many payload
 * bytes (docs/protocol.md §1). Knows nothing about what the payload means; one instance per
 * connection, fed from one event loop (not thread-safe).
 *
 * <p>The length is checked the moment its fourth byte arrives, before any payload is buffered, so
 * the memory a peer can pin is bounded by the limit, not by what it claims.
 */
public final class FrameDecoder {

  /** Bytes in the length prefix. */
  public static final int HEADER_BYTES = 4;

  private final int maxFrameBytes;
  private final byte[] header = new byte[HEADER_BYTES];
  private int headerFilled;
  /** Payload being collected, null while reading a header. */
  private Buffer payload;
  private int payloadLength;
  /** Set once a too-large length was seen: the stream is out of sync from then on. */
  private FrameTooLargeException failure;

  public FrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < 0) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 0, got " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Feeds bytes; calls sink once per complete frame payload, in order. Throws as soon as a length
   * over the limit is read, before any payload is buffered; frames completed earlier in the same
   * chunk have already been delivered. After a throw every further call throws the same exception.
   * The sink receives its own copy of each payload.
   */
  public void feed(Buffer chunk, Consumer<Buffer> sink) throws FrameTooLargeException {
    if (failure != null) {
      throw failure;
    }
    int pos = 0;
    int end = chunk.length();
    while (pos < end) {
      if (payload == null) {
        int n = Math.min(HEADER_BYTES - headerFilled, end - pos);
        chunk.getBytes(pos, pos + n, header, headerFilled);
        headerFilled += n;
        pos += n;
        if (headerFilled < HEADER_BYTES) {
          return;
        }
        headerFilled = 0;
        long declared = Integer.toUnsignedLong(
            (header[0] & 0xff) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8 | (header[3] & 0xff));
        if (declared > maxFrameBytes) {
          failure = new FrameTooLargeException(declared, maxFrameBytes);
          throw failure;
        }
        payloadLength = (int) declared;
        if (payloadLength == 0) {
          sink.accept(Buffer.buffer(0));
          continue;
        }
        if (end - pos >= payloadLength) {
          // Whole payload in this chunk: one copy, no intermediate buffer.
          Buffer frame = chunk.getBuffer(pos, pos + payloadLength);
          pos += payloadLength;
          sink.accept(frame);
          continue;
        }
        payload = Buffer.buffer(payloadLength);
      }
      int n = Math.min(payloadLength - payload.length(), end - pos);
      payload.appendBuffer(chunk, pos, n);
      pos += n;
      if (payload.length() == payloadLength) {
        Buffer frame = payload;
        payload = null;
        sink.accept(frame);
      }
    }
  }

  /** Bytes of a partial frame (header or payload) waiting for more input. */
  public int bufferedBytes() {
    return payload != null ? HEADER_BYTES + payload.length() : headerFilled;
  }

  /** The 4-byte big-endian length followed by the payload. */
  public static Buffer encode(byte[] payload) {
    return Buffer.buffer(HEADER_BYTES + payload.length).appendInt(payload.length).appendBytes(payload);
  }
}
