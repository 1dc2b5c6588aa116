package io.parley.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/**
 * Argon2id password hashing in the PHC string format
 * ({@code $argon2id$v=19$m=<kib>,t=<it>,p=<par>$<salt>$<hash>}, base64 without padding), the format
 * libargon2, argon2-cffi and Spring Security write, so stored hashes stay portable.
 *
 * <p>Pure and synchronous: one call costs one full Argon2 computation (tens of milliseconds by design),
 * so callers on an event loop go through {@link PasswordPool}. Thread-safe: every call builds its own
 * generator; {@link SecureRandom} is thread-safe.
 */
public final class PasswordHasher {
  public static final int SALT_BYTES = 16;
  public static final int HASH_BYTES = 32;
  private static final int VERSION = 0x13; // 19: the only version RFC 9106 defines
  private static final String PREFIX = "$argon2id$v=19$";
  // Salts and hashes read back from storage: 8 bytes is libargon2's minimum salt; 64 is plenty.
  private static final int MIN_STORED_BYTES = 8;
  private static final int MAX_STORED_BYTES = 64;

  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

  private final Argon2Parameters parameters;
  private final SecureRandom random;
  private final String dummyHash;

  public PasswordHasher(Argon2Parameters parameters, SecureRandom random) {
    this.parameters = Objects.requireNonNull(parameters, "parameters");
    this.random = Objects.requireNonNull(random, "random");
    // A random salt and a random "hash": verifying against it costs a full Argon2 run with this
    // hasher's parameters, and no password can match (2^-256).
    this.dummyHash = format(parameters, randomBytes(SALT_BYTES), randomBytes(HASH_BYTES));
  }

  public Argon2Parameters parameters() {
    return parameters;
  }

  /** PHC string: $argon2id$v=19$m=&lt;kib&gt;,t=&lt;it&gt;,p=&lt;par&gt;$&lt;salt&gt;$&lt;hash&gt;; 16-byte salt, 32-byte hash. */
  public String hash(String password) {
    Objects.requireNonNull(password, "password");
    byte[] salt = randomBytes(SALT_BYTES);
    byte[] hash = argon2(parameters, salt, password, HASH_BYTES);
    return format(parameters, salt, hash);
  }

  /**
   * Constant-time comparison; parameters are read from the PHC string (so old hashes keep verifying
   * after a parameter change). False for a malformed string.
   */
  public boolean verify(String password, String phc) {
    if (password == null) {
      return false;
    }
    Phc parsed = Phc.parse(phc);
    if (parsed == null) {
      return false;
    }
    byte[] actual = argon2(parsed.parameters, parsed.salt, password, parsed.hash.length);
    return MessageDigest.isEqual(actual, parsed.hash);
  }

  /** True when phc was made with parameters other than this hasher's (rehash on next login). */
  public boolean needsRehash(String phc) {
    Phc parsed = Phc.parse(phc);
    return parsed == null
        || !parsed.parameters.equals(parameters)
        || parsed.salt.length != SALT_BYTES
        || parsed.hash.length != HASH_BYTES;
  }

  /**
   * A fixed PHC string with this hasher's parameters, for verifying against when the account does not
   * exist (so an unknown user costs the same time as a wrong password).
   */
  public String dummyHash() {
    return dummyHash;
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] argon2(Argon2Parameters p, byte[] salt, String password, int outputBytes) {
    org.bouncycastle.crypto.params.Argon2Parameters bc =
        new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
            org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
            .withVersion(VERSION)
            .withMemoryAsKB(p.memoryKiB())
            .withIterations(p.iterations())
            .withParallelism(p.parallelism())
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(bc);
    byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[outputBytes];
    try {
      generator.generateBytes(passwordBytes, out);
    } finally {
      Arrays.fill(passwordBytes, (byte) 0);
      bc.clear();
    }
    return out;
  }

  private static String format(Argon2Parameters p, byte[] salt, byte[] hash) {
    return PREFIX + "m=" + p.memoryKiB() + ",t=" + p.iterations() + ",p=" + p.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** A parsed PHC string; {@link #parse} returns null for anything not exactly our format. */
  private record Phc(Argon2Parameters parameters, byte[] salt, byte[] hash) {
    private static final int MAX_LENGTH = 256;

    static Phc parse(String phc) {
      if (phc == null || phc.length() > MAX_LENGTH || !phc.startsWith(PREFIX)) {
        return null;
      }
      // After the prefix: "m=..,t=..,p=..", salt, hash.
      String[] parts = phc.substring(PREFIX.length()).split("\\$", -1);
      if (parts.length != 3) {
        return null;
      }
      String[] costs = parts[0].split(",", -1);
      if (costs.length != 3) {
        return null;
      }
      int m = number(costs[0], "m=");
      int t = number(costs[1], "t=");
      int p = number(costs[2], "p=");
      byte[] salt = bytes(parts[1]);
      byte[] hash = bytes(parts[2]);
      if (m < 0 || t < 0 || p < 0 || salt == null || hash == null) {
        return null;
      }
      try {
        return new Phc(new Argon2Parameters(m, t, p), salt, hash);
      } catch (IllegalArgumentException outOfRange) {
        return null;
      }
    }

    /** The decimal after {@code key}, or -1. At most 9 digits, so no overflow. */
    private static int number(String part, String key) {
      if (!part.startsWith(key) || part.length() == key.length() || part.length() > key.length() + 9) {
        return -1;
      }
      int value = 0;
      for (int i = key.length(); i < part.length(); i++) {
        char c = part.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        value = value * 10 + (c - '0');
      }
      return value;
    }

    /** Unpadded standard base64 of 8–64 bytes, or null. */
    private static byte[] bytes(String b64) {
      if (b64.indexOf('=') >= 0) {
        return null;
      }
      try {
        byte[] bytes = B64_DECODER.decode(b64);
        return bytes.length >= MIN_STORED_BYTES && bytes.length <= MAX_STORED_BYTES ? bytes : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
