package io.parley.shared.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecureChannelTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] PING = "{\"type\":\"ROOM_LIST\",\"id\":\"1\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);

  private static KeySchedule.Keys randomKeys() {
    byte[] shared = new byte[32];
    byte[] transcript = new byte[32];
    RANDOM.nextBytes(shared);
    RANDOM.nextBytes(transcript);
    return KeySchedule.derive(shared, transcript);
  }

  private final KeySchedule.Keys keys = randomKeys();
  private final SecureChannel client = SecureChannel.forClient(keys, SecureChannel.DEFAULT_MAX_RECORDS);
  private final SecureChannel server = SecureChannel.forServer(keys, SecureChannel.DEFAULT_MAX_RECORDS);

  @Test
  void recordsRoundTripInBothDirections() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(server.open(client.seal(PING))).isEqualTo(PING);
      assertThat(client.open(server.seal(PING))).isEqualTo(PING);
    }
  }

  @Test
  void aRecordIsThePlaintextLengthPlusA16ByteTag() throws Exception {
    byte[] record = client.seal(PING);
    assertThat(record).hasSize(PING.length + 16);
    byte[] empty = client.seal(new byte[0]);
    assertThat(empty).hasSize(16);
    server.open(record);
    assertThat(server.open(empty)).isEmpty();
  }

  @Test
  void theSameRecordSealedTwiceDiffers_theCounterIsInTheNonce() throws Exception {
    assertThat(client.seal(PING)).isNotEqualTo(client.seal(PING));
  }

  @Test
  void aRecordWithAnySingleByteFlippedFailsToOpen() throws Exception {
    byte[] record = client.seal(PING);
    for (int i = 0; i < record.length; i++) {
      for (int bit : new int[] {0, 7}) {
        // A fresh receiver per attempt: one failure breaks a channel for good.
        SecureChannel receiver = SecureChannel.forServer(keys, SecureChannel.DEFAULT_MAX_RECORDS);
        byte[] tampered = record.clone();
        tampered[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> receiver.open(tampered))
            .as("byte %d bit %d", i, bit)
            .isInstanceOf(RecordException.class);
      }
    }
    assertThat(server.open(record)).isEqualTo(PING);
  }

  @Test
  void aTruncatedRecordFailsToOpen() throws Exception {
    byte[] record = client.seal(PING);
    assertThatThrownBy(() -> server.open(java.util.Arrays.copyOf(record, record.length - 1)))
        .isInstanceOf(RecordException.class);
    SecureChannel other = SecureChannel.forServer(keys, SecureChannel.DEFAULT_MAX_RECORDS);
    assertThatThrownBy(() -> other.open(new byte[15])).isInstanceOf(RecordException.class);
  }

  @Test
  void aReplayedRecordFailsToOpen() throws Exception {
    byte[] record = client.seal(PING);
    assertThat(server.open(record)).isEqualTo(PING);
    assertThatThrownBy(() -> server.open(record)).isInstanceOf(RecordException.class);
  }

  @Test
  void aSkippedRecordFailsToOpen() throws Exception {
    client.seal(PING);
    byte[] second = client.seal(PING);
    assertThatThrownBy(() -> server.open(second)).isInstanceOf(RecordException.class);
  }

  @Test
  void aRecordReflectedBackToItsSenderFailsToOpen() throws Exception {
    byte[] record = client.seal(PING);
    assertThatThrownBy(() -> client.open(record)).isInstanceOf(RecordException.class);
  }

  @Test
  void afterOneFailureTheChannelOpensNothingMore() throws Exception {
    byte[] first = client.seal(PING);
    assertThatThrownBy(() -> server.open(new byte[40])).isInstanceOf(RecordException.class);
    assertThat(server.isBroken()).isTrue();
    assertThatThrownBy(() -> server.open(first)).isInstanceOf(RecordException.class);
  }

  @Test
  void afterMaxRecordsTheChannelRefusesToSealOrOpen() throws Exception {
    SecureChannel sender = SecureChannel.forClient(keys, 3);
    SecureChannel receiver = SecureChannel.forServer(keys, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(sender.sendsRemaining()).isEqualTo(3 - i);
      assertThat(receiver.open(sender.seal(PING))).isEqualTo(PING);
    }
    assertThat(sender.sendsRemaining()).isZero();
    assertThat(receiver.receivesRemaining()).isZero();
    assertThatThrownBy(() -> sender.seal(PING)).isInstanceOf(ChannelExhaustedException.class);

    // A peer that ignores the limit: its fourth record is refused even though it is authentic.
    SecureChannel unlimited = SecureChannel.forClient(keys, 10);
    byte[] fourth = null;
    for (int i = 0; i < 4; i++) {
      fourth = unlimited.seal(PING);
    }
    byte[] beyond = fourth;
    assertThatThrownBy(() -> receiver.open(beyond)).isInstanceOf(RecordException.class).hasMessageContaining("3 records");
  }

  @Test
  void maxRecordsMustAllowAtLeastOneRecord() {
    assertThatThrownBy(() -> new ServerHandshake(ServerIdentity.generate(RANDOM), RANDOM, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
