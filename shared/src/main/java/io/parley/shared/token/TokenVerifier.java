package io.parley.shared.token;

import io.parley.shared.protocol.Limits;
import io.parley.shared.token.TokenRejectedException.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Verifies session tokens (AUTH_TOKEN). Order: shape and header → signature → claims → expiry, so
 * nothing from an unsigned payload is interpreted. Rejections are {@link TokenRejectedException}s
 * whose messages never contain the token.
 *
 * <ul>
 *   <li>Header must be exactly {@code alg: "EdDSA"} and optionally {@code typ: "JWT"}. Any other
 *       algorithm, {@code "none"} and HS256-with-our-public-key included, is BAD_SIGNATURE: the
 *       algorithm is ours to choose, never the token's. Other header fields ({@code kid}, {@code jwk},
 *       {@code x5c}, {@code crit}…) are MALFORMED: we issue none, and key-carrying headers are the
 *       classic way to make a verifier trust the attacker's key.</li>
 *   <li>Claims: {@code iss} = "parley"; {@code sub} a canonical username ({@link Limits}); {@code dev}
 *       and {@code jti} canonical lowercase UUIDs; {@code iat} and {@code exp} integers with
 *       {@code iat < exp ≤ iat + } {@link TokenIssuer#SAVED_LIFETIME}; else WRONG_CLAIMS.</li>
 *   <li>Expiry: rejected once {@code now ≥ exp + } {@link #CLOCK_SKEW}. The skew allowance only
 *       absorbs NTP-level drift between the auth service that issued and the gateway that checks;
 *       it is not a grace period. A token whose {@code iat} is more than the skew in the future is
 *       WRONG_CLAIMS (an issuer with a broken clock).</li>
 * </ul>
 *
 * <p>Why not {@code JWTAuth.authenticate}: vertx-auth-jwt 5.0.7 verifies Ed25519 through the JDK
 * provider at ~760 µs per token on the dev machine, and serializes all verifies of one key on a single
 * {@code java.security.Signature} (JWS.verify is {@code synchronized}). That is ~1,300 resumes/s per
 * JWTAuth, ~2,600/s on two cores at best, against a target of 5,000/s. BouncyCastle's lightweight
 * Ed25519 verifies the same standard JWS in ~80 µs without shared state; tests check that tokens from
 * vertx-auth-jwt verify here and that tokens accepted here verify with vertx-auth-jwt.
 *
 * <p>Never blocks: {@link #verify} does one signature check (~80 µs CPU) on the calling thread and
 * returns an already completed future; a token this process has verified before costs a map look-up
 * and the expiry check ({@link VerifiedTokens}, shared by every verifier of the same {@link TokenKeys}).
 * Thread-safe.
 */
public final class TokenVerifier {

  /** Clock drift tolerated between issuer and verifier, for {@code exp} and {@code iat}. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  private static final Set<String> HEADER_FIELDS = Set.of("alg", "typ");
  private static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private final TokenKeys keys;
  private final Clock clock;
  /** Null: every token is checked in full (the cost benchmark's verifier). */
  private final VerifiedTokens seen;

  /**
   * @param vertx unused today (verification is cheap enough for the event loop); kept so a change to
   *     offloading, should verification ever get costlier, does not change callers
   */
  public TokenVerifier(Vertx vertx, TokenKeys keys, Clock clock) {
    this(vertx, keys, clock, keys.verified());
  }

  private TokenVerifier(Vertx vertx, TokenKeys keys, Clock clock, VerifiedTokens seen) {
    Objects.requireNonNull(vertx, "vertx");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.seen = seen;
  }

  /** A verifier that checks every token in full, remembering none: for measuring the check itself. */
  public static TokenVerifier uncached(Vertx vertx, TokenKeys keys, Clock clock) {
    return new TokenVerifier(vertx, keys, clock, null);
  }

  /** The token's claims, or a failed future with a {@link TokenRejectedException}. */
  public Future<VerifiedToken> verify(String token) {
    try {
      return Future.succeededFuture(checkOrRecall(token));
    } catch (TokenRejectedException e) {
      return Future.failedFuture(e);
    }
  }

  private VerifiedToken checkOrRecall(String token) {
    VerifiedToken known = seen == null || token == null ? null : seen.get(token);
    if (known != null) {
      requireUnexpired(known.expiresAt(), clock.instant());
      return known;
    }
    VerifiedToken verified = check(token);
    if (seen != null) {
      seen.put(token, verified, clock.instant());
    }
    return verified;
  }

  private VerifiedToken check(String token) {
    if (token == null || token.isEmpty() || token.length() > Limits.TOKEN_MAX_CHARS) {
      throw new TokenRejectedException(Reason.MALFORMED, "not a session token (empty or too long)");
    }
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      throw new TokenRejectedException(Reason.MALFORMED, "not a compact JWS (three dot-separated parts)");
    }
    JsonObject header = json(base64url(token.substring(0, dot1), "header"), "header");
    byte[] payload = base64url(token.substring(dot1 + 1, dot2), "payload");
    byte[] signature = base64url(token.substring(dot2 + 1), "signature");
    checkHeader(header);

    byte[] signingInput = token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
    if (signature.length != SIGNATURE_BYTES
        || !keys.publicKey().verify(Ed25519.Algorithm.Ed25519, null, signingInput, 0, signingInput.length, signature, 0)) {
      throw new TokenRejectedException(Reason.BAD_SIGNATURE, "signature does not verify with the token key");
    }

    JsonObject claims = json(payload, "payload");
    return checkClaims(claims);
  }

  private static void checkHeader(JsonObject header) {
    Object alg = header.getValue("alg");
    if (!(alg instanceof String) || !TokenKeys.JWS_ALGORITHM.equals(alg)) {
      // Names the algorithm only when it is a short plain string, so nothing odd reaches a log line.
      String named = alg instanceof String s && s.length() <= 16 && s.chars().allMatch(Character::isLetterOrDigit)
          ? "\"" + s + "\"" : "an unexpected value";
      throw new TokenRejectedException(Reason.BAD_SIGNATURE,
          "header alg is " + named + ", only " + TokenKeys.JWS_ALGORITHM + " is accepted");
    }
    Object typ = header.getValue("typ");
    if (typ != null && !"JWT".equals(typ)) {
      throw new TokenRejectedException(Reason.MALFORMED, "header typ must be JWT");
    }
    if (!HEADER_FIELDS.containsAll(header.fieldNames())) {
      throw new TokenRejectedException(Reason.MALFORMED, "header has fields other than alg and typ");
    }
  }

  private VerifiedToken checkClaims(JsonObject claims) {
    if (!TokenIssuer.ISSUER.equals(claims.getValue("iss"))) {
      throw wrong("iss must be \"" + TokenIssuer.ISSUER + "\"");
    }
    Object sub = claims.getValue("sub");
    if (!(sub instanceof String user) || !isUsername(user)) {
      throw wrong("sub must be a username");
    }
    UUID device = uuid(claims, TokenIssuer.CLAIM_DEVICE);
    UUID tokenId = uuid(claims, "jti");
    long iat = seconds(claims, "iat");
    long exp = seconds(claims, "exp");
    if (exp <= iat || exp - iat > TokenIssuer.SAVED_LIFETIME.getSeconds()) {
      throw wrong("exp must be after iat by at most " + TokenIssuer.SAVED_LIFETIME.toDays() + " days");
    }
    Instant now = clock.instant();
    if (Instant.ofEpochSecond(iat).isAfter(now.plus(CLOCK_SKEW))) {
      throw wrong("iat is in the future; is the issuing auth service's clock right?");
    }
    Instant expiresAt = Instant.ofEpochSecond(exp);
    requireUnexpired(expiresAt, now);
    return new VerifiedToken(tokenId.toString(), user, device, expiresAt);
  }

  private static void requireUnexpired(Instant expiresAt, Instant now) {
    if (!now.isBefore(expiresAt.plus(CLOCK_SKEW))) {
      throw new TokenRejectedException(Reason.EXPIRED, "token expired at " + expiresAt);
    }
  }

  static boolean isUsername(String s) {
    return s.length() >= Limits.USERNAME_MIN_CHARS
        && s.length() <= Limits.USERNAME_MAX_CHARS
        && Limits.USERNAME_PATTERN.matcher(s).matches();
  }

  private static UUID uuid(JsonObject claims, String name) {
    if (claims.getValue(name) instanceof String s && s.length() == 36) {
      try {
        UUID uuid = UUID.fromString(s);
        // UUID.fromString also takes "1-2-3-4-5" and upper case; only the canonical form is ours.
        if (uuid.toString().equals(s)) {
          return uuid;
        }
      } catch (IllegalArgumentException e) {
        // falls through to the rejection below
      }
    }
    throw wrong(name + " must be a lowercase UUID");
  }

  private static long seconds(JsonObject claims, String name) {
    Object v = claims.getValue(name);
    if (v instanceof Integer || v instanceof Long) {
      long s = ((Number) v).longValue();
      if (s > 0) {
        return s;
      }
    }
    throw wrong(name + " must be a positive integer of epoch seconds");
  }

  private static TokenRejectedException wrong(String message) {
    return new TokenRejectedException(Reason.WRONG_CLAIMS, message);
  }

  private static JsonObject json(byte[] bytes, String what) {
    try {
      return new JsonObject(Buffer.buffer(bytes));
    } catch (DecodeException | ClassCastException e) {
      throw new TokenRejectedException(Reason.MALFORMED, what + " is not a JSON object");
    }
  }

  private static byte[] base64url(String part, String what) {
    // JWS uses unpadded base64url (RFC 7515 §2); the JDK decoder would also take padding.
    if (part.indexOf('=') >= 0) {
      throw new TokenRejectedException(Reason.MALFORMED, what + " is not unpadded base64url");
    }
    try {
      return BASE64URL.decode(part);
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException(Reason.MALFORMED, what + " is not base64url");
    }
  }
}
