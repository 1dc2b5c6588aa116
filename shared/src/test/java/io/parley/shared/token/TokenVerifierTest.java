package io.parley.shared.token;

import static io.parley.testing.Futures.await;
import static io.parley.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.token.TokenRejectedException.Reason;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenVerifierTest {

  private static final Instant T0 = Instant.parse("2030-01-01T12:00:00Z");
  private static final UUID DEVICE = UUID.fromString("6f1c0c52-8a7e-4d5b-9f51-0c3a4c2b9e11");

  private static Vertx vertx;
  private static TokenKeys keys;

  private MutableClock clock;
  private TokenIssuer issuer;
  private TokenVerifier verifier;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    keys = TokenKeys.generate();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    issuer = new TokenIssuer(vertx, keys, clock);
    verifier = new TokenVerifier(vertx, keys, clock);
  }

  // --- round trips ---

  @Test
  void savedLoginTokenCarriesUserDeviceIdAndLastsThirtyDays() {
    SessionToken issued = issuer.issue("alice", DEVICE, true);

    VerifiedToken verified = await(verifier.verify(issued.token()));

    assertThat(verified.user()).isEqualTo("alice");
    assertThat(verified.device()).isEqualTo(DEVICE);
    assertThat(verified.tokenId()).isEqualTo(issued.tokenId());
    assertThat(UUID.fromString(issued.tokenId()).toString()).isEqualTo(issued.tokenId());
    assertThat(issued.issuedAt()).isEqualTo(T0);
    assertThat(issued.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(verified.expiresAt()).isEqualTo(issued.expiresAt());
  }

  @Test
  void unsavedLoginTokenLastsTwentyFourHours() {
    SessionToken issued = issuer.issue("alice", DEVICE, false);

    assertThat(await(verifier.verify(issued.token())).expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
  }

  @Test
  void tokenHoldsExactlyTheDocumentedClaims() {
    SessionToken issued = issuer.issue("alice", DEVICE, false);

    JsonObject claims = Jws.payload(issued.token());

    assertThat(claims.fieldNames()).containsExactlyInAnyOrder("iss", "sub", "dev", "jti", "iat", "exp");
    assertThat(claims.getString("iss")).isEqualTo("parley");
    assertThat(claims.getString("sub")).isEqualTo("alice");
    assertThat(claims.getString("dev")).isEqualTo(DEVICE.toString());
    assertThat(claims.getString("jti")).isEqualTo(issued.tokenId());
    assertThat(claims.getLong("iat")).isEqualTo(T0.getEpochSecond());
    assertThat(claims.getLong("exp")).isEqualTo(T0.plus(Duration.ofHours(24)).getEpochSecond());
  }

  @Test
  void everyTokenHasAFreshId() {
    assertThat(issuer.issue("alice", DEVICE, true).tokenId()).isNotEqualTo(issuer.issue("alice", DEVICE, true).tokenId());
  }

  @Test
  void sessionTokenToStringLeavesTheTokenOut() {
    SessionToken issued = issuer.issue("alice", DEVICE, true);

    assertThat(issued.toString()).doesNotContain(issued.token()).contains(issued.tokenId());
  }

  // --- signatures and algorithms ---

  @Test
  void oneCharacterOfThePayloadChanged_badSignature() {
    String token = issuer.issue("alice", DEVICE, true).token();
    int middle = token.indexOf('.') + (token.lastIndexOf('.') - token.indexOf('.')) / 2;
    char c = token.charAt(middle);
    String tampered = token.substring(0, middle) + (c == 'A' ? 'B' : 'A') + token.substring(middle + 1);

    assertRejected(tampered, Reason.BAD_SIGNATURE);
  }

  @Test
  void tokenSignedByAnotherKey_badSignature() {
    String forged = new TokenIssuer(vertx, TokenKeys.generate(), clock).issue("alice", DEVICE, true).token();

    assertRejected(forged, Reason.BAD_SIGNATURE);
  }

  @Test
  void algNoneToken_rejected() {
    String none = Jws.unsigned(new JsonObject().put("typ", "JWT").put("alg", "none"), validClaims());

    assertRejected(none, Reason.BAD_SIGNATURE);
  }

  @Test
  void hs256KeyedWithOurPublicKey_rejected() throws Exception {
    // The algorithm-confusion attack: an HMAC whose secret is the verifier's public key.
    String input = Jws.b64(new JsonObject().put("typ", "JWT").put("alg", "HS256").encode()) + "." + Jws.b64(validClaims().encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(keys.publicKeyPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String token = input + "." + Jws.b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));

    assertRejected(token, Reason.BAD_SIGNATURE);
  }

  @Test
  void signatureOfWrongLength_badSignature() {
    String token = issuer.issue("alice", DEVICE, true).token();

    assertRejected(token.substring(0, token.lastIndexOf('.') + 1) + Jws.b64(new byte[63]), Reason.BAD_SIGNATURE);
  }

  @Test
  void keyCarryingHeaderFields_malformed() {
    String withKid = sign(validClaims(), new JsonObject().put("kid", "k1"));

    assertRejected(withKid, Reason.MALFORMED);
  }

  // --- tokens seen before ---

  @Test
  void aTokenVerifiedBeforeIsRecalledNotCheckedAgain_andOnlyWhileItIsUnexpired() {
    String token = issuer.issue("alice", DEVICE, false).token();
    VerifiedToken first = await(verifier.verify(token));

    // Another verifier of the same keys (another gateway event loop) recalls the same verdict.
    assertThat(await(new TokenVerifier(vertx, keys, clock).verify(token))).isSameAs(first);
    assertThat(await(TokenVerifier.uncached(vertx, keys, clock).verify(token))).isNotSameAs(first).isEqualTo(first);

    clock.advance(Duration.ofHours(24).plus(TokenVerifier.CLOCK_SKEW));
    assertRejected(token, Reason.EXPIRED);
  }

  @Test
  void aRejectedTokenIsNeverRemembered() {
    String token = issuer.issue("alice", DEVICE, false).token();
    int middle = token.indexOf('.') + (token.lastIndexOf('.') - token.indexOf('.')) / 2;
    String tampered = token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A') + token.substring(middle + 1);
    int before = keys.verified().size();

    assertRejected(tampered, Reason.BAD_SIGNATURE);
    assertRejected(tampered, Reason.BAD_SIGNATURE);
    assertThat(keys.verified().size()).isEqualTo(before);
  }

  @Test
  void theMemoryOfVerifiedTokensIsBounded_expiredEntriesGoFirst() {
    VerifiedTokens seen = new VerifiedTokens(3);
    VerifiedToken expired = new VerifiedToken("t-old", "alice", DEVICE, T0.minusSeconds(1));
    VerifiedToken live = new VerifiedToken("t-live", "alice", DEVICE, T0.plusSeconds(60));
    seen.put("old", expired, T0);
    seen.put("live-1", live, T0);
    seen.put("live-2", live, T0);

    seen.put("live-3", live, T0);
    assertThat(seen.get("old")).isNull();
    assertThat(seen.get("live-1")).isSameAs(live);
    assertThat(seen.size()).isEqualTo(3);

    seen.put("live-4", live, T0);
    assertThat(seen.size()).as("nothing expired: all dropped, then the new one").isEqualTo(1);
    assertThat(seen.get("live-4")).isSameAs(live);
  }

  // --- expiry ---

  @Test
  void clockMovedPastExp_expired() {
    String token = issuer.issue("alice", DEVICE, false).token();
    clock.advance(Duration.ofHours(24).plus(TokenVerifier.CLOCK_SKEW));

    assertRejected(token, Reason.EXPIRED);
  }

  @Test
  void withinTheClockSkewAfterExp_stillAccepted() {
    String token = issuer.issue("alice", DEVICE, false).token();
    clock.advance(Duration.ofHours(24).plus(TokenVerifier.CLOCK_SKEW).minusMillis(1));

    assertThat(await(verifier.verify(token)).user()).isEqualTo("alice");
  }

  @Test
  void savedTokenLastsUntilItsThirtiethDay() {
    String token = issuer.issue("alice", DEVICE, true).token();
    clock.advance(Duration.ofDays(30).minusSeconds(1));
    assertThat(await(verifier.verify(token)).user()).isEqualTo("alice");

    clock.advance(Duration.ofSeconds(1).plus(TokenVerifier.CLOCK_SKEW));
    assertRejected(token, Reason.EXPIRED);
  }

  @Test
  void issuedInTheFutureBeyondTheSkew_wrongClaims() {
    clock.advance(Duration.ofMinutes(5));
    String token = issuer.issue("alice", DEVICE, false).token();
    clock.set(T0);

    assertRejected(token, Reason.WRONG_CLAIMS);
  }

  // --- malformed and wrong claims ---

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "a.b", "a.b.c.d", "!!!.abc.def", "eyJhbGciOiJFZERTQSJ9.e30=.AAAA", "W10.e30.AAAA"})
  void garbage_malformed(String garbage) {
    assertRejected(garbage, Reason.MALFORMED);
  }

  @Test
  void nullAndOverlongTokens_malformed() {
    assertRejected(null, Reason.MALFORMED);
    assertRejected("a".repeat(5000), Reason.MALFORMED);
  }

  @Test
  void missingDevClaim_wrongClaims() {
    JsonObject claims = validClaims();
    claims.remove("dev");

    assertRejected(sign(claims, null), Reason.WRONG_CLAIMS);
  }

  @Test
  void claimsNotOurs_wrongClaims() {
    assertRejected(sign(validClaims().put("iss", "someone-else"), null), Reason.WRONG_CLAIMS);
    assertRejected(sign(validClaims().put("dev", DEVICE.toString().toUpperCase()), null), Reason.WRONG_CLAIMS);
    assertRejected(sign(validClaims().put("jti", "1-2-3-4-5"), null), Reason.WRONG_CLAIMS);
    assertRejected(sign(validClaims().put("sub", "Alice"), null), Reason.WRONG_CLAIMS);
    assertRejected(sign(validClaims().put("exp", "tomorrow"), null), Reason.WRONG_CLAIMS);
    assertRejected(sign(validClaims().put("exp", T0.plus(Duration.ofDays(31)).getEpochSecond()), null), Reason.WRONG_CLAIMS);
    JsonObject noJti = validClaims();
    noJti.remove("jti");
    assertRejected(sign(noJti, null), Reason.WRONG_CLAIMS);
  }

  @Test
  void rejectionMessagesNeverContainTheToken() {
    String token = issuer.issue("alice", DEVICE, false).token();
    clock.advance(Duration.ofDays(2));

    Throwable failure = awaitFailure(verifier.verify(token));

    String[] parts = token.split("\\.");
    assertThat(failure.getMessage()).doesNotContain(parts[0]).doesNotContain(parts[1]).doesNotContain(parts[2]);
  }

  // --- issuing ---

  @Test
  void issuerRefusesNonCanonicalUsernames() {
    assertThatThrownBy(() -> issuer.issue("Alice", DEVICE, true)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer.issue("", DEVICE, true)).isInstanceOf(IllegalArgumentException.class);
  }

  // --- interoperability with vertx-auth-jwt: the tokens are plain standard EdDSA JWS ---

  @Test
  void vertxAuthJwtAcceptsOurTokensWithThePublicKeyAlone() {
    JWTAuth vertxVerifier = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("EdDSA").setBuffer(keys.publicKeyPem()))
        .setJWTOptions(new JWTOptions().setIssuer("parley").setIgnoreExpiration(true)));
    SessionToken issued = issuer.issue("alice", DEVICE, true);

    User user = await(vertxVerifier.authenticate(new TokenCredentials(issued.token())));

    assertThat(user.principal().getString("sub")).isEqualTo("alice");
    assertThat(user.principal().getString("jti")).isEqualTo(issued.tokenId());
  }

  @Test
  void tokensSignedDirectlyByVertxAuthJwtVerifyHere() {
    VerifiedToken verified = await(verifier.verify(sign(validClaims(), null)));

    assertThat(verified.user()).isEqualTo("alice");
    assertThat(verified.device()).isEqualTo(DEVICE);
  }

  // --- helpers ---

  private void assertRejected(String token, Reason reason) {
    Throwable failure = awaitFailure(verifier.verify(token));
    assertThat(failure).isInstanceOf(TokenRejectedException.class);
    assertThat(((TokenRejectedException) failure).reason()).as(failure.getMessage()).isEqualTo(reason);
    if (token != null && token.length() > 8) {
      assertThat(failure.getMessage()).doesNotContain(token);
    }
  }

  private static JsonObject validClaims() {
    return new JsonObject()
        .put("iss", "parley")
        .put("sub", "alice")
        .put("dev", DEVICE.toString())
        .put("jti", UUID.randomUUID().toString())
        .put("iat", T0.getEpochSecond())
        .put("exp", T0.plus(Duration.ofHours(1)).getEpochSecond());
  }

  /** Claims signed with our key by vertx-auth-jwt directly, with optional extra header fields. */
  private static String sign(JsonObject claims, JsonObject extraHeader) {
    JWTAuth raw = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("EdDSA").setBuffer(keys.privateKeyPem())));
    JWTOptions options = new JWTOptions().setAlgorithm("EdDSA").setNoTimestamp(true);
    if (extraHeader != null) {
      options.setHeader(extraHeader);
    }
    return raw.generateToken(claims, options);
  }
}
