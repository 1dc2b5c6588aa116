package io.parley.shared.channel;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a TCP byte stream into frames: a 4-byte big-endian unsigned length, then that many payload
 * bytes (docs/protocol.md §1). Knows nothing about what the payload means; one instance per
 * connection, fed from one event loop (not thread-safe).
 *
 * <p>Memory follows bytes received, never a length the peer announced: the length is checked against
 * the limit the moment its fourth byte arrives, and a partial payload's buffer grows with what has
 * arrived (at most doubling, so it holds under twice the bytes received). A peer that announces 1 MiB
 * and sends four bytes costs four bytes, not a megabyte.
 */
public final class FrameDecoder {

  /** Bytes in the length prefix. */
  public static final int HEADER_BYTES = 4;

  /** First allocation for a partial payload; growth doubles from here. */
  private static final int MIN_PARTIAL_CAPACITY = 256;

  private int maxFrameBytes;
  private final byte[] header = new byte[HEADER_BYTES];
  private int headerFilled;
  /** Payload being collected, null while reading a header. Its length is a capacity, not the frame's. */
  private byte[] payload;
  private int payloadFilled;
  private int payloadLength;
  /** Set once a too-large length was seen: the stream is out of sync from then on. */
  private FrameTooLargeException failure;

  public FrameDecoder(int maxFrameBytes) {
    maxFrameBytes(maxFrameBytes);
  }

  /**
   * Changes the limit for frames whose length has not been read yet; a connection starts with the
   * small handshake limit and is raised once the peer has proved it speaks the protocol.
   */
  public void maxFrameBytes(int maxFrameBytes) {
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
        payload = new byte[Math.min(payloadLength, Math.max(MIN_PARTIAL_CAPACITY, end - pos))];
        payloadFilled = 0;
      }
      int n = Math.min(payloadLength - payloadFilled, end - pos);
      ensureCapacity(payloadFilled + n);
      chunk.getBytes(pos, pos + n, payload, payloadFilled);
      payloadFilled += n;
      pos += n;
      if (payloadFilled == payloadLength) {
        Buffer frame = Buffer.buffer(payload.length == payloadLength ? payload : Arrays.copyOf(payload, payloadLength));
        payload = null;
        payloadFilled = 0;
        sink.accept(frame);
      }
    }
  }

  private void ensureCapacity(int needed) {
    if (needed > payload.length) {
      int grown = (int) Math.min(payloadLength, Math.max(needed, 2L * payload.length));
      payload = Arrays.copyOf(payload, grown);
    }
  }

  /** Bytes of a partial frame (header or payload) received and waiting for the rest. */
  public int bufferedBytes() {
    return payload != null ? HEADER_BYTES + payloadFilled : headerFilled;
  }

  /** Bytes of heap this decoder holds for a partial frame (at most about twice {@link #bufferedBytes}). */
  public int retainedBytes() {
    return payload != null ? HEADER_BYTES + payload.length : headerFilled;
  }

  /** True while a frame has started (at least one byte of its header arrived) and is not complete. */
  public boolean inFrame() {
    return bufferedBytes() > 0;
  }

  /** The 4-byte big-endian length followed by the payload. */
  public static Buffer encode(byte[] payload) {
    return Buffer.buffer(HEADER_BYTES + payload.length).appendInt(payload.length).appendBytes(payload);
  }
}
