package io.parley.shared.channel;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for one direction of one connection, with its implicit record counter. One Cipher per
 * direction, re-initialised per record with the next nonce: getInstance per record would dominate
 * the cost of small records.
 */
final class RecordCipher {

  static final int TAG_BYTES = 16;

  private final int mode;
  private final SecretKeySpec key;
  private final byte[] iv;
  private final long maxRecords;
  private final Cipher cipher;
  private long seq;

  RecordCipher(int mode, byte[] key, byte[] iv, long maxRecords) {
    this.mode = mode;
    this.key = new SecretKeySpec(key, "AES");
    this.iv = iv.clone();
    this.maxRecords = maxRecords;
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/GCM", e);
    }
  }

  /** nonce = iv XOR (4 zero bytes || u64be(seq)). */
  static byte[] nonce(byte[] iv, long seq) {
    byte[] nonce = iv.clone();
    for (int i = 0; i < 8; i++) {
      nonce[nonce.length - 1 - i] ^= (byte) (seq >>> (8 * i));
    }
    return nonce;
  }

  long remaining() {
    return maxRecords - seq;
  }

  long seq() {
    return seq;
  }

  byte[] seal(byte[] plaintext) throws ChannelExhaustedException {
    if (seq >= maxRecords) {
      throw new ChannelExhaustedException(maxRecords);
    }
    try {
      cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(iv, seq)));
      byte[] record = cipher.doFinal(plaintext);
      seq++;
      return record;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM seal failed", e);
    }
  }

  byte[] open(byte[] record) throws RecordException {
    if (seq >= maxRecords) {
      throw new RecordException("peer sent more than " + maxRecords + " records");
    }
    if (record.length < TAG_BYTES) {
      throw new RecordException("record shorter than its " + TAG_BYTES + "-byte tag");
    }
    try {
      cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(iv, seq)));
      byte[] plaintext = cipher.doFinal(record);
      seq++;
      return plaintext;
    } catch (AEADBadTagException e) {
      throw new RecordException("record failed authentication (tampered, replayed, reordered or skipped)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM open failed", e);
    }
  }
}
