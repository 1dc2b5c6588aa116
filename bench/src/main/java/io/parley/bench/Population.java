package io.parley.bench;

import io.parley.client.Accounts;
import io.parley.client.CaptchaSolver;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.shared.crypto.Pem;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * Bench accounts: signed up once (a password hash for SIGNUP and one for LOGIN, ~80 ms each on the
 * server's small Argon2 pool, plus the pow captcha), then kept in a JSON-lines file as (user, device,
 * 30-day token) so reruns resume with AUTH_TOKEN instead of signing up again. The file is per server
 * identity; a file whose first token the server refuses (a new database) is set aside and rebuilt.
 */
final class Population {
  static final String PASSWORD = "bench password, not a secret";
  /**
   * RATE_LIMITED (the password queue is full) and UNAVAILABLE (a hash waited longer than the bus
   * timeout) on signup/login are retried this often, with backoff.
   */
  private static final int MAX_ATTEMPTS = 8;
  /**
   * Signups in flight: each costs two Argon2 hashes on a pool of PARLEY_PASSWORD_THREADS (2); more in
   * flight only queue behind them, and past the 10 s bus timeout they come back UNAVAILABLE.
   */
  static final int SIGNUP_CONCURRENCY = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  record Account(String user, UUID device, String token) {
    JsonObject toJson() {
      return new JsonObject().put("user", user).put("device", device.toString()).put("token", token);
    }

    static Account fromJson(JsonObject json) {
      return new Account(json.getString("user"), UUID.fromString(json.getString("device")), json.getString("token"));
    }
  }

  private final Vertx vertx;
  private final Loops loops;
  private final Target target;
  private final Path file;
  private final PrintStream log;

  Population(Vertx vertx, Loops loops, Target target, Path file, PrintStream log) {
    this.vertx = vertx;
    this.loops = loops;
    this.target = target;
    this.file = file;
    this.log = log;
  }

  /** The default cache file for a server: one per identity fingerprint. */
  static Path defaultFile(String fingerprint) {
    String tag = fingerprint.replaceAll("[^0-9A-Fa-f]", "");
    tag = tag.substring(0, Math.min(16, tag.length()));
    return Path.of(System.getProperty("user.home"), ".parley-bench", "population-" + tag + ".jsonl");
  }

  /** At least {@code count} accounts with valid tokens: the cached ones first, new ones signed up to fill. */
  List<Account> ensure(int count, int concurrency) throws Exception {
    concurrency = Math.min(concurrency, SIGNUP_CONCURRENCY);
    List<Account> accounts = load();
    if (!accounts.isEmpty() && !stillValid(accounts.get(0))) {
      Path aside = file.resolveSibling(file.getFileName() + ".stale");
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      log.println("# the server refused the cached tokens in " + file + " (new database?): moved to " + aside);
      accounts = new ArrayList<>();
    }
    if (accounts.size() >= count) {
      return accounts.subList(0, count);
    }
    int missing = count - accounts.size();
    String runTag = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36).substring(0, 6);
    log.printf("# signing up %d bench accounts (cached in %s; %d there already)%n", missing, file, accounts.size());
    long t0 = System.nanoTime();
    Parallel.Outcome<Account> created =
        Loops.await(
            Parallel.run(missing, concurrency, i -> loops.on(i, () -> create("b" + runTag + "_" + i).onSuccess(this::append))),
            Math.max(120, missing));
    double seconds = (System.nanoTime() - t0) / 1e9;
    log.printf("# signed up %d accounts in %.1f s (%.1f/s), %d failed%s%n", missing - created.failed(), seconds,
        (missing - created.failed()) / seconds, created.failed(),
        created.firstFailure() == null ? "" : ", first: " + created.firstFailure());
    for (Account account : created.results()) {
      if (account != null) {
        accounts.add(account);
      }
    }
    if (accounts.size() < count) {
      throw new IllegalStateException("only " + accounts.size() + " of " + count + " bench accounts could be created");
    }
    return accounts.subList(0, count);
  }

  private List<Account> load() throws IOException {
    List<Account> accounts = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          accounts.add(Account.fromJson(new JsonObject(line)));
        }
      }
    }
    return accounts;
  }

  private synchronized void append(Account account) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, account.toJson().encode() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private boolean stillValid(Account account) throws Exception {
    try {
      ParleyConnection connection = Loops.await(loops.on(0, () -> target.connect(vertx, account.device())), 30);
      try {
        Loops.await(new Accounts(connection).resume(account.user(), account.token()), 30);
        return true;
      } catch (java.util.concurrent.ExecutionException e) {
        return false;
      } finally {
        Loops.await(connection.close(), 30);
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot reach the server at " + target.host() + ":" + target.port() + ": " + e.getCause(), e);
    }
  }

  /** SIGNUP (pow captcha) → LOGIN save=true → CHAT_ENCRYPT_C → token, on one fresh connection. */
  private Future<Account> create(String user) {
    UUID device = UUID.randomUUID();
    return withRetries(
        () -> target.connect(vertx, device).compose(connection -> {
          Accounts accounts = new Accounts(connection);
          return accounts
              .signup(user, user + "@bench.example.org", "Bench " + user, LocalDate.of(1990, 1, 1), PASSWORD, NO_IMAGES)
              .recover(failure -> alreadyCreated(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
              .compose(ok -> accounts.login(user, PASSWORD, true, chatKey()))
              .map(token -> new Account(user, device, token))
              .eventually(connection::close);
        }),
        1);
  }

  /** A retried signup may find its own account from the previous attempt. */
  private static boolean alreadyCreated(Throwable failure) {
    return failure instanceof ParleyStatusException status && status.code().orElse(null) == StatusCode.USERNAME_TAKEN;
  }

  private Future<Account> withRetries(java.util.function.Supplier<Future<Account>> attempt, int n) {
    return attempt.get().recover(failure -> {
      StatusCode code = failure instanceof ParleyStatusException status ? status.code().orElse(null) : null;
      boolean limited = code == StatusCode.RATE_LIMITED || code == StatusCode.UNAVAILABLE;
      if (!limited || n >= MAX_ATTEMPTS) {
        return Future.failedFuture(failure);
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(50L << n, t -> later.complete());
      return later.future().compose(v -> withRetries(attempt, n + 1));
    });
  }

  static String chatKey() {
    return Pem.encodePublic(Pem.KeyType.X25519, new X25519PrivateKeyParameters(RANDOM).generatePublicKey().getEncoded());
  }

  private static final CaptchaSolver NO_IMAGES =
      png -> Future.failedFuture(new IllegalStateException("the server asks for an image captcha; run it with PARLEY_CAPTCHA_KIND=pow"));
}
