package io.parley.shared.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A SecureRandom whose output is a fixed function of a label (SHA-256 of label and counter). The fuzz
 * targets run real handshakes with it so that every execution derives the same keys: a finding
 * reproduces from its input file alone, and a sealed record in the seed corpus stays valid.
 * Never use it outside tests.
 */
final class FixedRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;

  private final byte[] label;
  private long counter;

  FixedRandom(String label) {
    this.label = label.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    int filled = 0;
    while (filled < bytes.length) {
      byte[] block = sha256(ByteBuffer.allocate(label.length + Long.BYTES).put(label).putLong(counter++).array());
      int n = Math.min(block.length, bytes.length - filled);
      System.arraycopy(block, 0, bytes, filled, n);
      filled += n;
    }
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
