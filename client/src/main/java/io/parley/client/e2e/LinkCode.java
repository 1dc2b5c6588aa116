package io.parley.client.e2e;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The code a new device shows and its person types on an existing device (docs/e2e.md §10): 16
 * characters, {@code ABCD-EFGH-JKLM-NPQR}. The first 10 characters (50 bits) are a slow hash of the new
 * device's id, chat public key and the request's nonce, so the existing device can tell whether the
 * key the server hands it is the one the new device showed; the last 6 (30 bits) are a secret the
 * server never sees, which proves to the new device that the blob it receives was made by someone who
 * read the code off its screen.
 */
public record LinkCode(String binding, String secret) {
  /** No 0/O, 1/I: the characters people confuse when reading a code off a screen. */
  private static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  static final int BINDING_CHARS = 10;
  static final int SECRET_CHARS = 6;
  static final int BINDING_ROUNDS = 1 << 17;

  /** A fresh code for this device, key and nonce; the secret part is random. */
  static LinkCode create(UUID device, byte[] publicKey, byte[] nonce) {
    return new LinkCode(binding(device, publicKey, nonce), encode(Primitives.random(SECRET_CHARS), SECRET_CHARS));
  }

  /** A code as a person typed it: case, spaces and dashes do not matter. Empty when it cannot be one. */
  public static Optional<LinkCode> parse(String typed) {
    String clean = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
    if (clean.length() != BINDING_CHARS + SECRET_CHARS || !clean.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
      return Optional.empty();
    }
    return Optional.of(new LinkCode(clean.substring(0, BINDING_CHARS), clean.substring(BINDING_CHARS)));
  }

  /** Whether this code was shown for that device, key and nonce (constant time). */
  boolean binds(UUID device, byte[] publicKey, byte[] nonce) {
    return MessageDigest.isEqual(Primitives.ascii(binding), Primitives.ascii(binding(device, publicKey, nonce)));
  }

  /** The key of the proof inside a blob: only someone who read the whole code can compute it. */
  byte[] proofKey(UUID device, byte[] nonce) {
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    SealedMessage.uuid(info, device);
    info.writeBytes(nonce);
    return Primitives.hkdf(Primitives.ascii("parley-link v1 proof"), Primitives.ascii(binding + secret), info.toByteArray(), 32);
  }

  @Override
  public String toString() {
    String all = binding + secret;
    return all.substring(0, 4) + "-" + all.substring(4, 8) + "-" + all.substring(8, 12) + "-" + all.substring(12);
  }

  /**
   * SHA-256 of the inputs, then {@link #BINDING_ROUNDS} more SHA-256 rounds: the server knows every
   * input and picks the nonce it relays, so it could search for a key and nonce of its own with the
   * same 50 bits; the rounds make each try cost 2^17 hashes (docs/e2e.md §10). About 20 ms per code.
   */
  private static String binding(UUID device, byte[] publicKey, byte[] nonce) {
    ByteArrayOutputStream id = new ByteArrayOutputStream();
    SealedMessage.uuid(id, device);
    byte[] hash = Primitives.sha256(Primitives.ascii("parley-link v1 code"), id.toByteArray(), publicKey, nonce);
    for (int round = 0; round < BINDING_ROUNDS; round++) {
      hash = Primitives.sha256(hash);
    }
    return encode(hash, BINDING_CHARS);
  }

  /** The first {@code chars} × 5 bits of {@code bytes}, in {@link #ALPHABET}. */
  private static String encode(byte[] bytes, int chars) {
    StringBuilder out = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      int bit = i * 5;
      int value = 0;
      for (int b = 0; b < 5; b++) {
        int at = bit + b;
        value = (value << 1) | ((bytes[at / 8] >> (7 - at % 8)) & 1);
      }
      out.append(ALPHABET.charAt(value));
    }
    return out.toString();
  }
}
