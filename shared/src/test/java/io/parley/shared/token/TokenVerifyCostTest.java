package io.parley.shared.token;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway verifies one token per AUTH_TOKEN resume; the target is 5,000 resumes/s on 2 cores,
 * i.e. at most 400 µs of CPU per verify even if the cores did nothing else. This runs a warmed loop
 * of {@link TokenVerifier#verify} and, for comparison, vertx-auth-jwt's own verification, on one and
 * on two threads sharing one verifier, and logs the figures. It asserts only that every verify
 * succeeds (a shared verifier is thread-safe): a bound on speed fails on a busy machine, so the speed
 * itself is for the bench to measure, not for the suite to assert.
 */
class TokenVerifyCostTest {

  private static final Logger LOG = LoggerFactory.getLogger(TokenVerifyCostTest.class);
  private static final int WARMUP = 20_000;
  private static final int MEASURED = 5_000;
  /** vertx-auth-jwt is ~8x slower: fewer rounds keep the comparison under a few seconds. */
  private static final int VERTX_ROUNDS = 500;

  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @Test
  void aVerifierVerifiesTheSameTokenRepeatedlyAndJwtAuthAgreesOnIt() {
    TokenKeys keys = TokenKeys.generate();
    Clock clock = Clock.systemUTC();
    String token = new TokenIssuer(vertx, keys, clock).issue("alice", UUID.randomUUID(), true).token();
    TokenVerifier verifier = new TokenVerifier(vertx, keys, clock);

    double ours = nanosPerCall(MEASURED, () -> verifier.verify(token));

    JWTAuth vertxAuth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("EdDSA").setBuffer(keys.publicKeyPem()))
        .setJWTOptions(new JWTOptions().setIssuer("parley")));
    double theirs = nanosPerCall(VERTX_ROUNDS, () -> vertxAuth.authenticate(new TokenCredentials(token)));

    LOG.info("token verify: TokenVerifier {} µs ({} /s per core); vertx-auth-jwt JWTAuth.authenticate {} µs ({} /s per core), {}x slower",
        Math.round(ours / 1000), Math.round(1e9 / ours), Math.round(theirs / 1000), Math.round(1e9 / theirs),
        Math.round(theirs / ours * 10) / 10.0);
  }

  @Test
  void oneVerifierSharedByTwoThreadsNeverFailsAVerify() throws Exception {
    TokenKeys keys = TokenKeys.generate();
    Clock clock = Clock.systemUTC();
    String token = new TokenIssuer(vertx, keys, clock).issue("alice", UUID.randomUUID(), true).token();
    TokenVerifier shared = new TokenVerifier(vertx, keys, clock);
    nanosPerCall(MEASURED, () -> shared.verify(token));

    double perSecond = throughput(2, MEASURED, () -> shared.verify(token));

    // For comparison: one JWTAuth shared the same way (its JWS.verify locks one Signature per key).
    JWTAuth vertxAuth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("EdDSA").setBuffer(keys.publicKeyPem())));
    nanosPerCall(VERTX_ROUNDS, () -> vertxAuth.authenticate(new TokenCredentials(token)));
    double vertxPerSecond = throughput(2, VERTX_ROUNDS, () -> vertxAuth.authenticate(new TokenCredentials(token)));

    LOG.info("token verify on 2 threads: one shared TokenVerifier {} /s; one shared vertx-auth-jwt JWTAuth {} /s",
        Math.round(perSecond), Math.round(vertxPerSecond));
  }

  private static double throughput(int threads, int rounds, Supplier<Future<?>> call) throws InterruptedException {
    Thread[] workers = new Thread[threads];
    AtomicBoolean failed = new AtomicBoolean();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      workers[t] = new Thread(() -> {
        for (int i = 0; i < rounds; i++) {
          if (!call.get().succeeded()) {
            failed.set(true);
          }
        }
      });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    assertThat(failed).isFalse();
    return threads * rounds / ((System.nanoTime() - start) / 1e9);
  }

  /** Warms up (at least {@link #WARMUP} calls' worth of JIT for the cheap path), then times rounds calls. */
  private static double nanosPerCall(int rounds, Supplier<Future<?>> call) {
    for (int i = 0; i < Math.min(WARMUP, rounds * 4); i++) {
      assertThat(call.get().succeeded()).isTrue();
    }
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      if (!call.get().succeeded()) {
        throw new AssertionError("verify failed in the measured loop");
      }
    }
    return (System.nanoTime() - start) / (double) rounds;
  }
}
