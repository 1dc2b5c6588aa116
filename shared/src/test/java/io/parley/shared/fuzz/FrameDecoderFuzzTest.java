package io.parley.shared.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TCP framing (docs/protocol.md §1.1): {@link FrameDecoder} fed arbitrary bytes cut into arbitrary
 * chunks must deliver exactly the frames a plain reference splitter finds in the concatenated
 * stream, as soon as each is complete, and refuse a too-large length the moment its fourth byte
 * arrives. Only the public API is used, so the target outlives rewrites of the decoder's insides.
 *
 * <p>Input: {@code u16 maxFrameBytes (mod 1025)}, then chunks, each {@code u8 length} and that many
 * bytes. A small limit keeps frames within libFuzzer's input sizes and makes "too large" reachable.
 */
class FrameDecoderFuzzTest {

  private static final int LIMIT_RANGE = 1025;

  @FuzzTest(maxDuration = "10m")
  void splitStream(byte[] input) {
    FuzzInput in = new FuzzInput(input);
    int maxFrameBytes = in.u16() % LIMIT_RANGE;
    List<byte[]> chunks = new ArrayList<>();
    while (in.hasMore()) {
      chunks.add(in.bytes(in.u8()));
    }
    ReferenceSplit expected = ReferenceSplit.of(concat(chunks), maxFrameBytes);

    FrameDecoder decoder = new FrameDecoder(maxFrameBytes);
    List<Buffer> delivered = new ArrayList<>();
    long fed = 0;
    boolean failed = false;
    for (byte[] bytes : chunks) {
      Buffer chunk = Buffer.buffer(bytes.clone());
      long fedBefore = fed;
      fed += bytes.length;
      boolean holdsTooLargeLength = expected.tooLargeAt >= fedBefore && expected.tooLargeAt < fed;
      int deliveredBefore = delivered.size();
      try {
        decoder.feed(chunk, frame -> {
          assertThat(frame.length()).as("a delivered frame is within the limit").isLessThanOrEqualTo(maxFrameBytes);
          delivered.add(frame);
        });
      } catch (FrameTooLargeException e) {
        if (!failed && !holdsTooLargeLength) {
          fail("FrameTooLargeException for a chunk without a too-large length: %s", e.getMessage());
        }
        assertThat(e.declaredLength()).isEqualTo(expected.tooLargeLength);
        assertThat(e.maxFrameBytes()).isEqualTo(maxFrameBytes);
        if (failed) {
          assertThat(delivered).as("nothing is delivered once the stream is out of sync").hasSize(deliveredBefore);
        }
        failed = true;
        scribble(chunk);
        continue;
      }
      if (failed) {
        fail("after a too-large length every feed must throw (docs/protocol.md §1.1: nothing more is read)");
      }
      if (holdsTooLargeLength) {
        fail("a length of %d over the limit of %d was not refused as soon as its fourth byte arrived",
            expected.tooLargeLength, maxFrameBytes);
      }
      // Every frame complete in the bytes fed so far is delivered now, not with a later chunk.
      int complete = expected.framesEndingBy(fed);
      assertThat(delivered).as("frames delivered after %d bytes", fed).hasSize(complete);
      long consumed = complete == 0 ? 0 : expected.ends.get(complete - 1);
      assertThat((long) decoder.bufferedBytes())
          .as("bufferedBytes() follows the bytes received of the partial frame")
          .isBetween(0L, fed - consumed);
      // The caller may reuse a chunk once feed returns: the decoder must have copied what it keeps.
      scribble(chunk);
    }
    if (expected.tooLargeAt >= 0 && expected.tooLargeAt < fed) {
      assertThat(failed).as("the too-large length was refused").isTrue();
    }
    List<byte[]> frames = delivered.stream().map(Buffer::getBytes).toList();
    assertThat(frames).as("frames delivered").hasSize(expected.frames.size());
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frames.get(i)).as("frame %d", i).isEqualTo(expected.frames.get(i));
    }
  }

  private static void scribble(Buffer chunk) {
    for (int i = 0; i < chunk.length(); i++) {
      chunk.setByte(i, (byte) ~chunk.getByte(i));
    }
  }

  private static byte[] concat(List<byte[]> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    chunks.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /**
   * The frames of a whole stream, read the obvious way: length, payload, repeat. Stops at a length
   * over the limit ({@code tooLargeAt} is the offset of its fourth byte) or at a partial frame.
   */
  private record ReferenceSplit(List<byte[]> frames, List<Long> ends, long tooLargeAt, long tooLargeLength) {

    static ReferenceSplit of(byte[] stream, int maxFrameBytes) {
      List<byte[]> frames = new ArrayList<>();
      List<Long> ends = new ArrayList<>();
      int pos = 0;
      while (stream.length - pos >= FrameDecoder.HEADER_BYTES) {
        long length = (stream[pos] & 0xffL) << 24 | (stream[pos + 1] & 0xff) << 16
            | (stream[pos + 2] & 0xff) << 8 | (stream[pos + 3] & 0xff);
        if (length > maxFrameBytes) {
          return new ReferenceSplit(frames, ends, pos + FrameDecoder.HEADER_BYTES - 1, length);
        }
        if (stream.length - pos - FrameDecoder.HEADER_BYTES < length) {
          break;
        }
        int start = pos + FrameDecoder.HEADER_BYTES;
        pos = start + (int) length;
        frames.add(Arrays.copyOfRange(stream, start, pos));
        ends.add((long) pos);
      }
      return new ReferenceSplit(frames, ends, -1, 0);
    }

    int framesEndingBy(long offset) {
      int n = 0;
      while (n < ends.size() && ends.get(n) <= offset) {
        n++;
      }
      return n;
    }
  }
}
