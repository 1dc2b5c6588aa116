package io.parley.bench;

import io.parley.auth.captcha.CaptchaKind;
import io.parley.auth.captcha.Captchas;
import io.parley.auth.password.Argon2Parameters;
import io.parley.auth.password.PasswordHasher;
import io.parley.shared.channel.ClientHandshake;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.channel.ServerHandshake;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.token.TokenIssuer;
import io.parley.shared.token.TokenKeys;
import io.parley.shared.token.TokenVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * CPU cost of the server's expensive per-request operations, measured in this process on one thread:
 * no server, no network. These figures used to be timing assertions in the test suite, which failed
 * on a busy machine; here they are measured and reported, never asserted.
 *
 * <p>Each operation runs as many warm-up calls as measured ones, then is timed call by call; a row
 * gives the median and p90 µs per call and calls per second of one core (measured calls over their
 * summed time). {@code --rounds} is the count for the cheap operations; the dearer ones run a fixed
 * fraction of it so one run stays within seconds (Argon2id allocates 46 MiB per hash).
 */
final class CostsScenario {
  /** One measured operation: its row name, the share of --rounds it runs, and how to make one call. */
  private record Operation(String name, int roundsDivisor, Call call) {
    /** An operation whose call needs no untimed preparation. */
    static Operation of(String name, int roundsDivisor, Timed body) {
      return new Operation(name, roundsDivisor, () -> body);
    }
  }

  /** Prepares one call outside the timed part (e.g. seals the record to open) and returns the timed part. */
  @FunctionalInterface
  private interface Call {
    Timed prepare() throws Exception;
  }

  @FunctionalInterface
  private interface Timed {
    void run() throws Exception;
  }

  private static final int SMALL_PACKET = 256;
  private static final int LARGE_PACKET = 16 * 1024;

  private final Vertx vertx;
  private final int rounds;
  private final SecureRandom random = new SecureRandom();

  CostsScenario(Vertx vertx, int rounds) {
    this.vertx = vertx;
    this.rounds = Math.max(1, rounds);
  }

  List<JsonObject> run() throws Exception {
    List<JsonObject> rows = new ArrayList<>();
    for (Operation op : operations()) {
      rows.add(measure(op));
    }
    return rows;
  }

  private List<Operation> operations() throws Exception {
    List<Operation> ops = new ArrayList<>();
    TokenKeys keys = TokenKeys.generate();
    Clock clock = Clock.systemUTC();
    String token = new TokenIssuer(vertx, keys, clock).issue("alice", UUID.randomUUID(), true).token();
    TokenVerifier verifier = TokenVerifier.uncached(vertx, keys, clock);
    TokenVerifier remembering = new TokenVerifier(vertx, keys, clock);
    ops.add(Operation.of("token verify (TokenVerifier)", 1, () -> succeeded(verifier.verify(token))));
    ops.add(Operation.of("token verify, seen before (TokenVerifier)", 1, () -> succeeded(remembering.verify(token))));
    JWTAuth jwtAuth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("EdDSA").setBuffer(keys.publicKeyPem()))
        .setJWTOptions(new JWTOptions().setIssuer("parley")));
    // ~8x dearer than TokenVerifier: fewer calls keep the comparison short.
    ops.add(Operation.of("token verify (vertx-auth-jwt JWTAuth)", 8, () -> succeeded(jwtAuth.authenticate(new TokenCredentials(token)))));

    ServerIdentity identity = ServerIdentity.generate(random);
    UUID device = UUID.randomUUID();
    ops.add(Operation.of("handshake (server + client, in memory)", 4, () -> handshake(identity, device)));

    for (int bytes : new int[] {SMALL_PACKET, LARGE_PACKET}) {
      byte[] plaintext = new byte[bytes];
      random.nextBytes(plaintext);
      String size = bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " B";
      SecureChannel sealer = handshake(identity, device)[0];
      ops.add(Operation.of("record seal " + size, 1, () -> sealer.seal(plaintext)));
      // Records open in order: each call seals the next one untimed, then opens it timed.
      SecureChannel[] pair = handshake(identity, device);
      ops.add(new Operation("record open " + size, 1, () -> {
        byte[] record = pair[0].seal(plaintext);
        return () -> pair[1].open(record);
      }));
    }

    PasswordHasher hasher = new PasswordHasher(Argon2Parameters.DEFAULT, random);
    ops.add(Operation.of("argon2id hash " + Argon2Parameters.DEFAULT, 200, () -> hasher.hash("correct horse battery staple")));
    Captchas captchas = new Captchas(CaptchaKind.IMAGE, 1, random);
    ops.add(Operation.of("image captcha issue (render + PNG)", 20, captchas::issue));
    return ops;
  }

  private JsonObject measure(Operation op) throws Exception {
    int n = Math.max(1, rounds / op.roundsDivisor());
    for (int i = 0; i < n; i++) {
      op.call().prepare().run();
    }
    Latencies latencies = new Latencies();
    long total = 0;
    for (int i = 0; i < n; i++) {
      Timed body = op.call().prepare();
      long start = System.nanoTime();
      body.run();
      long took = System.nanoTime() - start;
      latencies.record(took);
      total += took;
    }
    return new JsonObject()
        .put("scenario", "costs")
        .put("op", op.name())
        .put("rounds", n)
        .put("median_us", round(latencies.percentileMs(50) * 1000))
        .put("p90_us", round(latencies.percentileMs(90) * 1000))
        .put("ops_per_s_core", round(n / (Math.max(1, total) / 1e9)));
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void succeeded(Future<?> future) {
    if (!future.succeeded()) {
      throw new IllegalStateException("verify failed: " + future.cause());
    }
  }

  /** One full handshake as HandshakeTest drives it, through the confirmation record: {client, server} channels. */
  private SecureChannel[] handshake(ServerIdentity identity, UUID device) throws Exception {
    ClientHandshake client = new ClientHandshake(device, random, SecureChannel.DEFAULT_MAX_RECORDS);
    ServerHandshake server = new ServerHandshake(identity, random, SecureChannel.DEFAULT_MAX_RECORDS);
    client.onServerKey(server.respond(client.init())).requireFingerprint(identity.fingerprint());
    SecureChannel serverChannel = server.complete(client.clientKeyFrame());
    SecureChannel clientChannel = client.complete();
    client.confirm(server.confirmationRecord());
    return new SecureChannel[] {clientChannel, serverChannel};
  }
}
