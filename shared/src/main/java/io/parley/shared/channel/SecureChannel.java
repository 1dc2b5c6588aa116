package io.parley.shared.channel;

import javax.crypto.Cipher;

/**
 * Both directions of one established connection: seals outgoing records and opens incoming ones
 * (docs/protocol.md §4). Not thread-safe: a connection lives on one event loop.
 *
 * <p>Once a record fails to open the channel refuses every further record: the caller must close the
 * connection, and a broken channel must not be reused by mistake.
 */
public final class SecureChannel {

  /** Default records per direction before the peers must reconnect (AES-GCM usage limit, 2^24). */
  public static final long DEFAULT_MAX_RECORDS = 1L << 24;

  private final RecordCipher sender;
  private final RecordCipher receiver;
  private boolean broken;

  private SecureChannel(RecordCipher sender, RecordCipher receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  static SecureChannel forServer(KeySchedule.Keys keys, long maxRecords) {
    return new SecureChannel(
        new RecordCipher(Cipher.ENCRYPT_MODE, keys.s2cKey(), keys.s2cIv(), maxRecords),
        new RecordCipher(Cipher.DECRYPT_MODE, keys.c2sKey(), keys.c2sIv(), maxRecords));
  }

  static SecureChannel forClient(KeySchedule.Keys keys, long maxRecords) {
    return new SecureChannel(
        new RecordCipher(Cipher.ENCRYPT_MODE, keys.c2sKey(), keys.c2sIv(), maxRecords),
        new RecordCipher(Cipher.DECRYPT_MODE, keys.s2cKey(), keys.s2cIv(), maxRecords));
  }

  static void checkMaxRecords(long maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be >= 1, got " + maxRecords);
    }
  }

  /** Encrypts one record (ciphertext || 16-byte tag) under the next send counter. */
  public byte[] seal(byte[] plaintext) throws ChannelExhaustedException {
    return sender.seal(plaintext);
  }

  /** Decrypts the next incoming record; any failure is final for this channel. */
  public byte[] open(byte[] record) throws RecordException {
    if (broken) {
      throw new RecordException("channel already failed; close the connection");
    }
    try {
      return receiver.open(record);
    } catch (RecordException e) {
      broken = true;
      throw e;
    }
  }

  /** Records this side may still seal; at 1 the server uses the last one for STATUS RECONNECT. */
  public long sendsRemaining() {
    return sender.remaining();
  }

  /** Records this side may still open; at 0 the peer must reconnect. */
  public long receivesRemaining() {
    return receiver.remaining();
  }

  public boolean isBroken() {
    return broken;
  }
}
