package io.parley.standalone;

import io.parley.client.Accounts;
import io.parley.client.CaptchaSolver;
import io.parley.client.ClientOptions;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.shared.crypto.Pem;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/** Fixtures for tests that drive a running standalone server through the Java SDK. */
final class TestClients {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final SecureRandom RANDOM = new SecureRandom();

  static final String PASSWORD = "correct horse battery staple";

  private final Standalone parley;

  TestClients(Standalone parley) {
    this.parley = parley;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Waits for a future that must fail, and returns why. */
  static Throwable awaitFailure(Future<?> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().handle((value, error) -> error).get(30, TimeUnit.SECONDS);
  }

  /** A unique, valid username for this JVM. */
  static String newUsername(String prefix) {
    return prefix + "_" + NAMES.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 100000, 36);
  }

  /** A fresh X25519 chat public key, PEM. */
  static String chatKey() {
    return Pem.encodePublic(Pem.KeyType.X25519, new X25519PrivateKeyParameters(RANDOM).generatePublicKey().getEncoded());
  }

  Standalone parley() {
    return parley;
  }

  ParleyConnection connect() throws Exception {
    return connect(UUID.randomUUID());
  }

  ParleyConnection connect(UUID device) throws Exception {
    return await(ParleyClient.connect(
        parley.vertx(), ClientOptions.tcp("127.0.0.1", parley.tcpPort(), device).withPinnedFingerprint(parley.fingerprint())));
  }

  /** A fresh connection of {@code device} that resumes with {@code token}; fails as AUTH_TOKEN does. */
  Future<Void> connectAndResume(String user, UUID device, String token) throws Exception {
    ParleyConnection connection = connect(device);
    return new Accounts(connection).resume(user, token);
  }

  /**
   * A connection from another loopback address (127.0.0.0/8 all reaches this host), so a test can
   * play several client addresses against the per-address limits.
   */
  ParleyConnection connectFrom(String localAddress) throws Exception {
    return await(ParleyClient.connect(
        parley.vertx(),
        ClientOptions.tcp("127.0.0.1", parley.tcpPort(), UUID.randomUUID())
            .withPinnedFingerprint(parley.fingerprint())
            .withLocalAddress(localAddress)));
  }

  /** Signs a new user up over a fresh connection (pow captcha solved by the SDK) and closes it. */
  String signedUpUser(String prefix) throws Exception {
    String user = newUsername(prefix);
    ParleyConnection connection = connect();
    try {
      await(new Accounts(connection).signup(user, user + "@example.org", "Test " + user, LocalDate.of(1990, 1, 1), PASSWORD, noImages()));
    } finally {
      await(connection.close());
    }
    return user;
  }

  static CaptchaSolver noImages() {
    return png -> Future.failedFuture(new AssertionError("this server should ask for proof of work, not an image"));
  }
}
