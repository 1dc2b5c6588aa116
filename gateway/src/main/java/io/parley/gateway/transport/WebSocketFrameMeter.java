package io.parley.gateway.transport;

import io.netty.buffer.ByteBuf;

/**
 * Follows RFC 6455 frame headers in the raw bytes a WebSocket client sends, to know what Netty and
 * Vert.x cannot tell us: whether a message has started and not finished, and how many of its bytes
 * the server holds (Netty accumulates a frame until it is whole, Vert.x a fragmented message until
 * its last fragment). That gives WebSocket connections the same frame deadline and partial-frame
 * budget as TCP. It only reads: the bytes go on to Netty's decoder unchanged. Not thread-safe; one
 * per connection on its event loop.
 */
final class WebSocketFrameMeter {
  private static final int OPCODE_CONTINUATION = 0x0;
  private static final int CONTROL_BIT = 0x8;

  private final byte[] header = new byte[14];
  private int headerFilled;
  private int headerLength = 2;
  private long payloadRemaining = -1;
  private boolean currentIsControl;
  private boolean currentFin;
  /** A data message whose last fragment has not arrived. */
  private boolean messageOpen;
  private long held;

  /** Bytes of an unfinished frame or message received so far (0 between messages). */
  long heldBytes() {
    return held;
  }

  boolean inFrame() {
    return held > 0;
  }

  void feed(ByteBuf bytes) {
    int pos = bytes.readerIndex();
    int end = bytes.writerIndex();
    while (pos < end) {
      if (payloadRemaining < 0) {
        header[headerFilled++] = bytes.getByte(pos++);
        held++;
        if (headerFilled == 2) {
          headerLength = 2 + extendedLengthBytes(header[1] & 0x7f) + ((header[1] & 0x80) != 0 ? 4 : 0);
        }
        if (headerFilled >= 2 && headerFilled == headerLength) {
          startPayload();
          if (payloadRemaining == 0) {
            frameComplete();
          }
        }
        continue;
      }
      long n = Math.min(payloadRemaining, end - pos);
      pos += (int) n;
      held += n;
      payloadRemaining -= n;
      if (payloadRemaining == 0) {
        frameComplete();
      }
    }
  }

  private static int extendedLengthBytes(int length7) {
    return length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
  }

  private void startPayload() {
    int opcode = header[0] & 0x0f;
    currentFin = (header[0] & 0x80) != 0;
    currentIsControl = (opcode & CONTROL_BIT) != 0;
    int length7 = header[1] & 0x7f;
    long length = length7;
    if (length7 == 126) {
      length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
    } else if (length7 == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = (length << 8) | (header[i] & 0xffL);
      }
      // A negative (top bit set) length breaks RFC 6455 and Netty will close; count it as endless.
      length = length < 0 ? Long.MAX_VALUE : length;
    }
    payloadRemaining = length;
    if (!currentIsControl && opcode != OPCODE_CONTINUATION) {
      messageOpen = true;
    }
    headerFilled = 0;
  }

  private void frameComplete() {
    payloadRemaining = -1;
    headerLength = 2;
    if (!currentIsControl && currentFin) {
      messageOpen = false;
    }
    if (!messageOpen) {
      held = 0;
    }
  }
}
