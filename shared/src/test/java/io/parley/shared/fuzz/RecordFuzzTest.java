package io.parley.shared.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parley.shared.channel.ChannelExhaustedException;
import io.parley.shared.channel.RecordException;
import io.parley.shared.channel.SecureChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The record layer (docs/protocol.md §4): after a real handshake, the server's {@link
 * SecureChannel#open} on a sequence of records that are delivered in order, replayed, reordered,
 * tampered with, reflected back from the server, or arbitrary bytes.
 *
 * <ul>
 *   <li>Only {@link RecordException} escapes.
 *   <li>A record opens only if it is exactly what the client sealed for the server's next sequence
 *       number, and it opens to exactly the plaintext sealed.
 *   <li>The client's next record, delivered in order and within the record limit, opens.
 *   <li>A failure is fatal: no record opens on the channel afterwards, not even a valid one.
 *   <li>No record opens at or past the record limit, even one that would authenticate.
 * </ul>
 *
 * <p>Input: {@code u8} record limit selector (0: the default 2^24, else 1–7, to reach the limit),
 * then operations, each a {@code u8} opcode (mod 6) with its operands: see {@link Op}.
 */
class RecordFuzzTest {

  private static final int SMALL_LIMITS = 8;

  /** The operations; {@code n} is a {@code u8}, {@code bytes} a {@code u8} length and that many bytes. */
  enum Op {
    /** bytes: the client seals this plaintext and the record is delivered at once. */
    SEND,
    /** bytes: the client seals this plaintext; the record is kept back (delivered later or never). */
    SEAL_ONLY,
    /** n: delivers the client's record number n (mod count): in order, a replay or out of order. */
    DELIVER,
    /** n, kind, position, bytes: delivers a changed copy of the client's record n (flip, cut, append, overwrite). */
    TAMPER,
    /** bytes: the server seals this plaintext and the record is fed back to the server. */
    REFLECT,
    /** bytes: delivers these bytes as a record. */
    RAW
  }

  @FuzzTest(maxDuration = "10m")
  void openRecords(byte[] input) {
    FuzzInput in = new FuzzInput(input);
    int limitSelector = in.u8() % SMALL_LIMITS;
    long maxRecords = limitSelector == 0 ? SecureChannel.DEFAULT_MAX_RECORDS : limitSelector;
    Handshakes.Connection connection = Handshakes.connect(maxRecords);
    Receiver receiver = new Receiver(connection.server(), maxRecords);
    List<byte[]> sealed = new ArrayList<>();
    List<byte[]> plaintexts = new ArrayList<>();

    while (in.hasMore()) {
      Op op = Op.values()[in.u8() % Op.values().length];
      switch (op) {
        case SEND, SEAL_ONLY -> {
          byte[] plaintext = in.bytes(in.u8());
          byte[] record;
          try {
            record = connection.client().seal(plaintext);
          } catch (ChannelExhaustedException e) {
            assertThat(sealed).as("the client seals exactly the limit").hasSize((int) Math.min(maxRecords, Integer.MAX_VALUE));
            continue;
          }
          assertThat(record).hasSize(plaintext.length + 16);
          sealed.add(record);
          plaintexts.add(plaintext);
          if (op == Op.SEND) {
            receiver.deliver(record, sealed, plaintexts);
          }
        }
        case DELIVER -> {
          int n = in.u8();
          if (!sealed.isEmpty()) {
            receiver.deliver(sealed.get(n % sealed.size()), sealed, plaintexts);
          }
        }
        case TAMPER -> {
          int n = in.u8();
          int kind = in.u8() % 4;
          int position = in.u8();
          byte[] bytes = in.bytes(in.u8());
          if (!sealed.isEmpty()) {
            receiver.deliver(tamper(sealed.get(n % sealed.size()), kind, position, bytes), sealed, plaintexts);
          }
        }
        case REFLECT -> {
          byte[] plaintext = in.bytes(in.u8());
          try {
            receiver.deliver(connection.server().seal(plaintext), sealed, plaintexts);
          } catch (ChannelExhaustedException e) {
            // A small limit: CONN_OK may have used the server's only record.
          }
        }
        case RAW -> receiver.deliver(in.bytes(in.u8()), sealed, plaintexts);
      }
    }
  }

  private static byte[] tamper(byte[] record, int kind, int position, byte[] bytes) {
    byte[] changed = record.clone();
    int at = position % Math.max(1, record.length);
    switch (kind) {
      case 0 -> {
        if (changed.length > 0) {
          changed[at] ^= (byte) (bytes.length == 0 ? 1 : bytes[0] == 0 ? 1 : bytes[0]);
        }
      }
      case 1 -> changed = Arrays.copyOf(record, at);
      case 2 -> {
        changed = Arrays.copyOf(record, record.length + bytes.length);
        System.arraycopy(bytes, 0, changed, record.length, bytes.length);
      }
      default -> {
        for (int i = 0; i < bytes.length && at + i < changed.length; i++) {
          changed[at + i] = bytes[i];
        }
      }
    }
    return changed;
  }

  /** The server's receiving side and what the protocol says it must do with each record. */
  private static final class Receiver {
    private final SecureChannel channel;
    private final long maxRecords;
    private long opened;
    private boolean failed;
    /** Lazily built client with the same keys, for records the real client has not sealed yet. */
    private SecureChannel twin;
    private long twinSealed;

    Receiver(SecureChannel channel, long maxRecords) {
      this.channel = channel;
      this.maxRecords = maxRecords;
    }

    void deliver(byte[] record, List<byte[]> sealed, List<byte[]> plaintexts) {
      long seq = opened;
      boolean inOrder = seq < sealed.size() && Arrays.equals(record, sealed.get((int) seq));
      boolean mustOpen = inOrder && !failed && seq < maxRecords;
      byte[] plaintext;
      try {
        plaintext = channel.open(record);
      } catch (RecordException e) {
        if (mustOpen) {
          fail("the client's record %d, delivered in order, failed to open: %s", seq, e.getMessage());
        }
        failed = true;
        assertThat(channel.isBroken()).as("a failed record breaks the channel").isTrue();
        return;
      }
      if (failed) {
        fail("a record opened after an earlier record failed (docs/protocol.md §4: a failure is fatal)");
      }
      if (seq >= maxRecords) {
        fail("record %d opened past the limit of %d records", seq, maxRecords);
      }
      if (inOrder) {
        assertThat(plaintext).as("plaintext of record %d", seq).isEqualTo(plaintexts.get((int) seq));
      } else {
        // Not the record the client sealed for this number in this run. With fixed keys a record
        // from the seed corpus can still be genuine: it must be exactly what the client seals for
        // this plaintext at this sequence number, anything else is a forgery that opened.
        assertThat(record).as("record %d opened but the client never sealed it", seq)
            .isEqualTo(sealAsClient(seq, plaintext));
      }
      opened++;
      assertThat(channel.receivesRemaining()).isEqualTo(maxRecords - opened);
    }

    private byte[] sealAsClient(long seq, byte[] plaintext) {
      if (twin == null || twinSealed > seq) {
        twin = Handshakes.connect(SecureChannel.DEFAULT_MAX_RECORDS).client();
        twinSealed = 0;
      }
      try {
        while (twinSealed < seq) {
          twin.seal(new byte[0]);
          twinSealed++;
        }
        twinSealed++;
        return twin.seal(plaintext);
      } catch (ChannelExhaustedException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
