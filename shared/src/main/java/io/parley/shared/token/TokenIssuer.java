package io.parley.shared.token;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Issues session tokens (GEN_TOKEN): compact JWS signed with {@link TokenKeys} through vertx-auth-jwt.
 *
 * <p>Claims: {@code iss} = {@value #ISSUER}, {@code sub} = user, {@code dev} = device uuid,
 * {@code jti} = a fresh random UUID (the handle for revocation), {@code iat} and {@code exp} in epoch
 * seconds from the injected clock. Header: {@code {"typ":"JWT","alg":"EdDSA"}}.
 *
 * <p>One issue costs about one Ed25519 signature through the JDK provider (~0.9 ms of CPU measured
 * on the dev machine). LOGIN already spends far more on Argon2 on a worker, so call it there.
 * Thread-safe.
 */
public final class TokenIssuer {

  /** LOGIN with {@code save: true}: the device stays signed in for a month (DESIGN §2 GEN_TOKEN). */
  public static final Duration SAVED_LIFETIME = Duration.ofDays(30);
  /** LOGIN with {@code save: false}: a day. */
  public static final Duration SESSION_LIFETIME = Duration.ofHours(24);

  static final String ISSUER = "parley";
  static final String CLAIM_DEVICE = "dev";

  private final JWTAuth jwt;
  private final Clock clock;
  private final JWTOptions options;

  public TokenIssuer(Vertx vertx, TokenKeys keys, Clock clock) {
    if (!keys.canSign()) {
      throw new IllegalArgumentException("token keys loaded from a public key cannot issue tokens");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(TokenKeys.JWS_ALGORITHM).setBuffer(keys.privateKeyPem())));
    // iat and exp come from our clock, not from vertx-auth-jwt's System.currentTimeMillis().
    this.options = new JWTOptions().setAlgorithm(TokenKeys.JWS_ALGORITHM).setNoTimestamp(true);
  }

  /** A signed token for this user on this device, valid {@link #SAVED_LIFETIME} or {@link #SESSION_LIFETIME}. */
  public SessionToken issue(String user, UUID device, boolean save) {
    if (user == null || !TokenVerifier.isUsername(user)) {
      // The verifier refuses any other sub, so a bad name must fail here, not at every AUTH_TOKEN.
      throw new IllegalArgumentException("user: must be a canonical (case-folded) username");
    }
    Objects.requireNonNull(device, "device");
    Instant issuedAt = Instant.ofEpochSecond(clock.instant().getEpochSecond());
    Instant expiresAt = issuedAt.plus(save ? SAVED_LIFETIME : SESSION_LIFETIME);
    String tokenId = UUID.randomUUID().toString();
    JsonObject claims = new JsonObject()
        .put("iss", ISSUER)
        .put("sub", user)
        .put(CLAIM_DEVICE, device.toString())
        .put("jti", tokenId)
        .put("iat", issuedAt.getEpochSecond())
        .put("exp", expiresAt.getEpochSecond());
    String token = jwt.generateToken(claims, options);
    return new SessionToken(token, tokenId, user, device, issuedAt, expiresAt);
  }
}
