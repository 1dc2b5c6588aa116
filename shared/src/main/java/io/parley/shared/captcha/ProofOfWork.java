package io.parley.shared.captcha;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The proof-of-work captcha rule, shared by the server (which checks with one hash) and the client
 * SDK (which searches): find a {@code solution} such that
 * {@code SHA-256(challengeBytes || UTF-8(solution))} starts with {@code difficulty} zero bits.
 *
 * <p>A solution is 1–64 characters of {@code [0-9a-z]}; the SDK counts "0", "1", ... in base 36, but
 * any string of that alphabet that hashes low enough is accepted. Restricting the alphabet keeps the
 * answer printable and well inside {@code CAPTCHA_ANSWER_MAX_CHARS}.
 */
public final class ProofOfWork {
  public static final String KIND = "pow";
  /** Challenge size: 128 bits, so a solution can never be precomputed or reused across challenges. */
  public static final int CHALLENGE_BYTES = 16;
  public static final int MAX_SOLUTION_CHARS = 64;
  /** A difficulty beyond this could not be solved by anyone; 2^40 attempts is already days. */
  public static final int MAX_DIFFICULTY_BITS = 40;
  /** How often {@link #solve} reports progress and polls for cancellation. */
  public static final long PROGRESS_INTERVAL = 65_536;

  private ProofOfWork() {
  }

  /** 16 random bytes, base64 (standard, padded). */
  public static String newChallenge(SecureRandom random) {
    byte[] bytes = new byte[CHALLENGE_BYTES];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * True when SHA-256(challengeBytes || UTF-8(solution)) starts with {@code difficultyBits} zero
   * bits. One hash. Solution: 1–64 chars of [0-9a-z]; anything else (and a malformed challenge or an
   * out-of-range difficulty) is false.
   */
  public static boolean verify(String challengeB64, int difficultyBits, String solution) {
    if (!validDifficulty(difficultyBits) || !validSolution(solution)) {
      return false;
    }
    byte[] challenge = decodeChallenge(challengeB64);
    if (challenge == null) {
      return false;
    }
    MessageDigest sha256 = sha256();
    sha256.update(challenge);
    // The alphabet is ASCII, so UTF-8 is one byte per char.
    sha256.update(solution.getBytes(StandardCharsets.US_ASCII));
    return leadingZeroBits(sha256.digest()) >= difficultyBits;
  }

  /**
   * Client side: tries solutions "0","1",... in base36 until one verifies; reports attempts to
   * {@code progress} every 65536 tries; stops with CancellationException when {@code cancelled}
   * says so; bounded by maxAttempts (IllegalStateException when exhausted).
   */
  public static String solve(String challengeB64, int difficultyBits, LongConsumer progress,
      BooleanSupplier cancelled, long maxAttempts) {
    if (!validDifficulty(difficultyBits)) {
      throw new IllegalArgumentException("difficulty must be 0–" + MAX_DIFFICULTY_BITS + " bits, got "
          + difficultyBits);
    }
    byte[] challenge = decodeChallenge(challengeB64);
    if (challenge == null) {
      throw new IllegalArgumentException("challenge must be " + CHALLENGE_BYTES + " bytes of base64");
    }
    MessageDigest sha256 = sha256();
    byte[] buffer = new byte[13]; // Long.MAX_VALUE in base 36 has 13 digits
    for (long attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0 && attempt % PROGRESS_INTERVAL == 0) {
        if (cancelled != null && cancelled.getAsBoolean()) {
          throw new CancellationException("proof of work cancelled after " + attempt + " attempts");
        }
        if (progress != null) {
          progress.accept(attempt);
        }
      }
      int start = writeBase36(attempt, buffer);
      // digest() resets the instance, so one MessageDigest serves every attempt.
      sha256.update(challenge);
      sha256.update(buffer, start, buffer.length - start);
      byte[] digest = sha256.digest();
      if (leadingZeroBits(digest) >= difficultyBits) {
        return new String(buffer, start, buffer.length - start, StandardCharsets.US_ASCII);
      }
    }
    throw new IllegalStateException("no proof-of-work solution within " + maxAttempts + " attempts");
  }

  /** Expected attempts = 2^difficulty, for progress bars. */
  public static long expectedAttempts(int difficultyBits) {
    if (!validDifficulty(difficultyBits)) {
      throw new IllegalArgumentException("difficulty must be 0–" + MAX_DIFFICULTY_BITS + " bits, got "
          + difficultyBits);
    }
    return 1L << difficultyBits;
  }

  private static boolean validDifficulty(int difficultyBits) {
    return difficultyBits >= 0 && difficultyBits <= MAX_DIFFICULTY_BITS;
  }

  private static boolean validSolution(String solution) {
    if (solution == null || solution.isEmpty() || solution.length() > MAX_SOLUTION_CHARS) {
      return false;
    }
    for (int i = 0; i < solution.length(); i++) {
      char c = solution.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  private static byte[] decodeChallenge(String challengeB64) {
    if (challengeB64 == null || challengeB64.length() > 64) {
      return null;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(challengeB64);
      return bytes.length == CHALLENGE_BYTES ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Writes {@code value} in base 36 at the end of {@code buffer}; returns the start index. */
  private static int writeBase36(long value, byte[] buffer) {
    int i = buffer.length;
    do {
      int digit = (int) (value % 36);
      buffer[--i] = (byte) (digit < 10 ? '0' + digit : 'a' + digit - 10);
      value /= 36;
    } while (value > 0);
    return i;
  }

  static int leadingZeroBits(byte[] digest) {
    int bits = 0;
    for (byte b : digest) {
      if (b == 0) {
        bits += 8;
      } else {
        return bits + Integer.numberOfLeadingZeros(b & 0xff) - 24;
      }
    }
    return bits;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
