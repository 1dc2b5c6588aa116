package io.parley.shared.admin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a parley-admin request proves it comes from someone holding the admin secret: an HMAC-SHA256
 * over the method, the path, a one-time server challenge and the body's SHA-256. The secret itself
 * never travels; a captured request cannot be replayed (its challenge is spent on first use, and only
 * the process that issued it knows it) nor altered (every part that changes its meaning is signed).
 * docs/security.md, "Administration", says why this and not a bearer secret or a timestamp window.
 * Used by both ends: the ops endpoint verifies, the tool signs.
 */
public final class AdminSignature {
  public static final String CHALLENGE_HEADER = "X-Parley-Admin-Challenge";
  public static final String SIGNATURE_HEADER = "X-Parley-Admin-Signature";

  /** Shorter secrets are refused at start: 32 characters of base64 carry 192 bits. */
  public static final int MIN_SECRET_CHARS = 32;

  private static final String VERSION = "parley-admin-v1";

  private final byte[] secret;

  private AdminSignature(byte[] secret) {
    this.secret = secret;
  }

  /** The secret from its file (surrounding whitespace ignored); refuses a short one. */
  public static AdminSignature load(Path file) throws IOException {
    String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (secret.length() < MIN_SECRET_CHARS) {
      throw new IllegalArgumentException(
          "the admin key file " + file + " holds fewer than " + MIN_SECRET_CHARS + " characters; create one with: openssl rand -base64 48");
    }
    return new AdminSignature(secret.getBytes(StandardCharsets.UTF_8));
  }

  public String sign(String method, String path, String challenge, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      String signed = VERSION + '\n' + method + '\n' + path + '\n' + challenge + '\n'
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 and SHA-256 are part of every JDK", e);
    }
  }

  /** Compares in constant time, so the answer's timing says nothing about how much of it was right. */
  public boolean verify(String method, String path, String challenge, byte[] body, String signature) {
    byte[] expected = sign(method, path, challenge, body).getBytes(StandardCharsets.US_ASCII);
    return signature != null && MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
  }
}
