package io.parley.shared.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  private final List<String> frames = new ArrayList<>();

  private void feed(FrameDecoder decoder, Buffer chunk) throws FrameTooLargeException {
    decoder.feed(chunk, frame -> frames.add(frame.toString(StandardCharsets.UTF_8)));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void encodePrefixesTheBigEndianLength() {
    assertThat(FrameDecoder.encode(utf8("abc")).getBytes()).containsExactly(0, 0, 0, 3, 'a', 'b', 'c');
  }

  @Test
  void aFrameSplitAcrossChunksByteByByteIsDeliveredOnceWhole() throws Exception {
    FrameDecoder decoder = new FrameDecoder(1024);
    Buffer wire = FrameDecoder.encode(utf8("{\"type\":\"CONN_INIT\"}"));
    for (int i = 0; i < wire.length(); i++) {
      feed(decoder, wire.getBuffer(i, i + 1));
      if (i < wire.length() - 1) {
        assertThat(frames).isEmpty();
      }
    }
    assertThat(frames).containsExactly("{\"type\":\"CONN_INIT\"}");
    assertThat(decoder.bufferedBytes()).isZero();
  }

  @Test
  void aSplitInsideTheLengthPrefixIsHandled() throws Exception {
    FrameDecoder decoder = new FrameDecoder(1024);
    Buffer wire = FrameDecoder.encode(utf8("hello"));
    feed(decoder, wire.getBuffer(0, 2));
    feed(decoder, wire.getBuffer(2, 6));
    feed(decoder, wire.getBuffer(6, wire.length()));
    assertThat(frames).containsExactly("hello");
  }

  @Test
  void severalFramesInOneChunkAreDeliveredInOrder() throws Exception {
    FrameDecoder decoder = new FrameDecoder(1024);
    Buffer wire = Buffer.buffer()
        .appendBuffer(FrameDecoder.encode(utf8("one")))
        .appendBuffer(FrameDecoder.encode(utf8("")))
        .appendBuffer(FrameDecoder.encode(utf8("three")))
        .appendBuffer(FrameDecoder.encode(utf8("fo")).getBuffer(0, 5));
    feed(decoder, wire);
    assertThat(frames).containsExactly("one", "", "three");
    assertThat(decoder.bufferedBytes()).isEqualTo(5);
    feed(decoder, Buffer.buffer("o"));
    assertThat(frames).containsExactly("one", "", "three", "fo");
  }

  @Test
  void aLengthOverTheLimitIsRejectedBeforeItsPayloadArrives() throws Exception {
    FrameDecoder decoder = new FrameDecoder(1024);
    feed(decoder, FrameDecoder.encode(utf8("ok")));
    Buffer header = Buffer.buffer().appendInt(1025);
    feed(decoder, header.getBuffer(0, 3));
    assertThatThrownBy(() -> feed(decoder, header.getBuffer(3, 4)))
        .isInstanceOfSatisfying(FrameTooLargeException.class, e -> assertThat(e.declaredLength()).isEqualTo(1025));
    assertThat(frames).containsExactly("ok");
    // The stream is out of sync: nothing more is decoded.
    assertThatThrownBy(() -> feed(decoder, FrameDecoder.encode(utf8("late")))).isInstanceOf(FrameTooLargeException.class);
    assertThat(frames).containsExactly("ok");
  }

  @Test
  void lengthsAreUnsigned() {
    FrameDecoder decoder = new FrameDecoder(Integer.MAX_VALUE);
    Buffer header = Buffer.buffer().appendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertThatThrownBy(() -> feed(decoder, header))
        .isInstanceOfSatisfying(FrameTooLargeException.class, e -> assertThat(e.declaredLength()).isEqualTo(0xffffffffL));
  }

  @Test
  void aFrameOfExactlyTheLimitIsAccepted() throws Exception {
    FrameDecoder decoder = new FrameDecoder(1024);
    byte[] payload = new byte[1024];
    java.util.Arrays.fill(payload, (byte) 'x');
    Buffer wire = FrameDecoder.encode(payload);
    feed(decoder, wire.getBuffer(0, 500));
    feed(decoder, wire.getBuffer(500, wire.length()));
    assertThat(frames).containsExactly("x".repeat(1024));
  }

  @Test
  void aPeerThatAnnouncesAMegabyteAndSendsTenBytesMakesTheDecoderHoldTensOfBytesNotAMegabyte() throws Exception {
    FrameDecoder decoder = new FrameDecoder(1 << 20);
    feed(decoder, Buffer.buffer().appendInt(1 << 20).appendBytes(new byte[10]));

    assertThat(decoder.bufferedBytes()).isEqualTo(14);
    assertThat(decoder.retainedBytes()).isLessThanOrEqualTo(4 + 256);
    assertThat(decoder.inFrame()).isTrue();
    assertThat(frames).isEmpty();
  }

  @Test
  void aDribbledFrameNeverHoldsMoreThanTwiceWhatArrived() throws Exception {
    int length = 100_000;
    FrameDecoder decoder = new FrameDecoder(length);
    feed(decoder, Buffer.buffer().appendInt(length));
    for (int sent = 0; sent < length; sent += 1000) {
      feed(decoder, Buffer.buffer(new byte[1000]));
      if (sent + 1000 < length) {
        assertThat(decoder.retainedBytes() - 4).isLessThanOrEqualTo(Math.max(256, 2 * (sent + 1000)));
      }
    }

    assertThat(frames).hasSize(1);
    assertThat(frames.get(0)).hasSize(length);
    assertThat(decoder.inFrame()).isFalse();
    assertThat(decoder.retainedBytes()).isZero();
  }

  @Test
  void theLimitCanBeRaisedForLaterFramesAfterTheHandshake() throws Exception {
    FrameDecoder decoder = new FrameDecoder(8);
    feed(decoder, FrameDecoder.encode(utf8("short")));
    decoder.maxFrameBytes(64);
    feed(decoder, FrameDecoder.encode(utf8("longer than eight")));

    assertThat(frames).containsExactly("short", "longer than eight");
  }
}
