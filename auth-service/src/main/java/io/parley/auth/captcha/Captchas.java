package io.parley.auth.captcha;

import io.parley.shared.captcha.ProofOfWork;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * Issues and checks captcha challenges of the configured kind. The server keeps {@link Captcha#stored}
 * (in Redis, bound to the connection, single use, 2 min TTL: the handler's job) and sends
 * {@link Captcha#challenge} inside CAPTCHA. Stateless apart from the random source, so one instance
 * serves every event loop.
 */
public final class Captchas {
  /** Answers longer than this are wrong without looking (the protocol caps them at 256 anyway). */
  private static final int MAX_ANSWER_CHARS = 256;

  private final CaptchaKind kind;
  private final int powDifficultyBits;
  private final SecureRandom random;

  public Captchas(CaptchaKind kind, int powDifficultyBits, SecureRandom random) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.random = Objects.requireNonNull(random, "random");
    if (kind == CaptchaKind.POW
        && (powDifficultyBits < 1 || powDifficultyBits > ProofOfWork.MAX_DIFFICULTY_BITS)) {
      throw new IllegalArgumentException("pow difficulty must be 1–" + ProofOfWork.MAX_DIFFICULTY_BITS
          + " bits, got " + powDifficultyBits);
    }
    this.powDifficultyBits = powDifficultyBits;
  }

  public CaptchaKind kind() {
    return kind;
  }

  /** A fresh challenge. */
  public Captcha issue() {
    return switch (kind) {
      case IMAGE -> {
        String text = ImageCaptcha.randomText(random);
        byte[] png = ImageCaptcha.render(text, random.nextLong());
        yield new Captcha(
            new JsonObject().put("kind", kind.wire()).put("png", Base64.getEncoder().encodeToString(png))
                .put("length", text.length()),
            new JsonObject().put("kind", kind.wire()).put("answer", text));
      }
      case POW -> {
        String challenge = ProofOfWork.newChallenge(random);
        JsonObject puzzle = new JsonObject().put("kind", kind.wire()).put("challenge", challenge)
            .put("difficulty", powDifficultyBits);
        yield new Captcha(puzzle, puzzle.copy());
      }
    };
  }

  /**
   * Checks an answer against the stored part: pow → one hash; image → case-insensitive, constant-time
   * comparison of the text. Never throws for bad input (returns false).
   *
   * <p>The stored part says which kind it is, so challenges issued before a configuration change
   * still check correctly.
   */
  public boolean accepts(JsonObject stored, String answer) {
    if (stored == null || answer == null || answer.isEmpty() || answer.length() > MAX_ANSWER_CHARS) {
      return false;
    }
    try {
      Object kindField = stored.getValue("kind");
      if (CaptchaKind.IMAGE.wire().equals(kindField)) {
        return stored.getValue("answer") instanceof String expected && sameText(expected, answer);
      }
      if (CaptchaKind.POW.wire().equals(kindField)) {
        return stored.getValue("challenge") instanceof String challenge
            && stored.getValue("difficulty") instanceof Number difficulty
            && (difficulty instanceof Integer || difficulty instanceof Long)
            && ProofOfWork.verify(challenge, (int) Math.max(-1, Math.min(difficulty.longValue(), 64)), answer);
      }
      return false;
    } catch (RuntimeException malformed) {
      return false;
    }
  }

  /** Case-insensitive, surrounding blanks ignored; time independent of where the texts differ. */
  private static boolean sameText(String expected, String answer) {
    byte[] a = expected.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    byte[] b = answer.strip().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(a, b);
  }

  /**
   * challenge: what the client receives inside CAPTCHA {"challenge": ...}; stored: what the server
   * keeps in Redis (never sent).
   */
  public record Captcha(JsonObject challenge, JsonObject stored) {
  }
}
