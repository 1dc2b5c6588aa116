package io.parley.standalone;

import static io.parley.standalone.TestClients.PASSWORD;
import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.awaitFailure;
import static io.parley.standalone.TestClients.chatKey;
import static io.parley.standalone.TestClients.newUsername;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.client.Accounts;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.shared.captcha.ProofOfWork;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.infra.RedisKeys;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.token.SessionToken;
import io.parley.shared.token.TokenIssuer;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Accounts through the real path: SDK → gateway → bus → auth service → PostgreSQL/Redis → reply.
 * The server asks for proof-of-work captchas of low difficulty so tests stay fast.
 */
class AccountsTest {
  static Standalone parley;
  static TestClients clients;
  static Pool db;
  static Redis redisClient;
  static RedisAPI redis;
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  /** Every password and token the tests use; none may appear in a log line. */
  static final Set<String> secrets = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    parley =
        Standalone.start(
            TestInfra.config(AccountsTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.CAPTCHA_KIND, "pow")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 8)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000));
    clients = new TestClients(parley);
    db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(parley.config().get(ConfigKey.PG_URL))).using(parley.vertx()).build();
    redisClient = Redis.createClient(parley.vertx(), parley.config().get(ConfigKey.REDIS_URL));
    redis = RedisAPI.api(redisClient);
    secrets.add(PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    await(db.close());
    redisClient.close();
    parley.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    // Logs never contain passwords, tokens or keys (DESIGN §5).
    for (ILoggingEvent event : new ArrayList<>(logs.list)) {
      String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
      for (String secret : secrets) {
        assertThat(line).as("log line from %s", event.getLoggerName()).doesNotContain(secret);
      }
    }
    assertThat(logs.list).as("the appender saw the server's logs").isNotEmpty();
  }

  static JsonObject signupData(String user) {
    return new JsonObject()
        .put("user", user)
        .put("email", user + "@example.org")
        .put("fullname", "Test " + user)
        .put("dob", "1990-01-01")
        .put("password", PASSWORD);
  }

  static String powAnswer(Envelope captcha) {
    JsonObject challenge = captcha.data().getJsonObject("challenge");
    return ProofOfWork.solve(challenge.getString("challenge"), challenge.getInteger("difficulty"), n -> {}, () -> false, 1 << 20);
  }

  static Envelope request(ParleyConnection connection, PacketType type, JsonObject data) throws Exception {
    return await(connection.request(type, data));
  }

  static StatusCode statusOf(Throwable failure) {
    assertThat(failure).isInstanceOf(ParleyStatusException.class);
    return ((ParleyStatusException) failure).code().orElseThrow();
  }

  static String login(ParleyConnection connection, String user, boolean save) throws Exception {
    String token = await(new Accounts(connection).login(user, PASSWORD, save, chatKey()));
    secrets.add(token);
    return token;
  }

  @Test
  void a_user_signs_up_logs_in_resumes_elsewhere_logs_out_and_the_old_token_is_refused() throws Exception {
    String user = clients.signedUpUser("alice");
    UUID device = UUID.randomUUID();

    ParleyConnection first = clients.connect(device);
    assertThat(request(first, PacketType.ROOM_LIST, new JsonObject()).statusCode()).contains(StatusCode.NOT_AUTHENTICATED);
    String token = login(first, user, true);
    assertThat(request(first, PacketType.ROOM_LIST, new JsonObject()).statusCode()).isNotEqualTo(java.util.Optional.of(StatusCode.NOT_AUTHENTICATED));
    await(first.close());

    ParleyConnection second = clients.connect(device);
    await(new Accounts(second).resume(user, token));
    assertThat(request(second, PacketType.ROOM_LIST, new JsonObject()).statusCode()).isNotEqualTo(java.util.Optional.of(StatusCode.NOT_AUTHENTICATED));
    assertThat(await(redis.hget(io.parley.shared.infra.RedisKeys.presence(user), device.toString()))).isNotNull();

    await(new Accounts(second).logout());
    assertThat(request(second, PacketType.ROOM_LIST, new JsonObject()).statusCode()).contains(StatusCode.NOT_AUTHENTICATED);
    assertThat(await(redis.hget(io.parley.shared.infra.RedisKeys.presence(user), device.toString()))).isNull();
    await(second.close());

    ParleyConnection third = clients.connect(device);
    assertThat(statusOf(awaitFailure(new Accounts(third).resume(user, token)))).isEqualTo(StatusCode.TOKEN_REFUSED);
    await(third.close());
  }

  @Test
  void the_account_row_exists_once_new_acc_ok_arrives() throws Exception {
    String user = clients.signedUpUser("rowcheck");

    long rows = await(db.preparedQuery("SELECT count(*) FROM auth.users WHERE username = $1").execute(Tuple.of(user)))
        .iterator().next().getLong(0);

    assertThat(rows).isEqualTo(1);
    String hash = await(db.preparedQuery("SELECT password_hash FROM auth.users WHERE username = $1").execute(Tuple.of(user)))
        .iterator().next().getString(0);
    assertThat(hash).startsWith("$argon2id$").doesNotContain(PASSWORD);
  }

  @Test
  void a_token_lives_30_days_with_save_and_24_hours_without() throws Exception {
    String user = clients.signedUpUser("lifetime");
    ParleyConnection connection = clients.connect();
    String saved = login(connection, user, true);
    await(connection.close());
    connection = clients.connect();
    String session = login(connection, user, false);
    await(connection.close());

    assertThat(lifetime(saved)).isEqualTo(Duration.ofDays(30));
    assertThat(lifetime(session)).isEqualTo(Duration.ofHours(24));
  }

  static Duration lifetime(String jwt) {
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    return Duration.ofSeconds(claims.getLong("exp") - claims.getLong("iat"));
  }

  // --- Signup validation, at the edge (a test for each rule) ---

  void assertSignupRefused(JsonObject data, StatusCode code, String field) throws Exception {
    ParleyConnection connection = clients.connect();
    try {
      Envelope reply = request(connection, PacketType.SIGNUP, data);
      assertThat(reply.statusCode()).contains(code);
      assertThat(reply.data().getString("desc")).startsWith(field);
    } finally {
      await(connection.close());
    }
  }

  @Test
  void a_signup_with_a_missing_field_is_refused_naming_it() throws Exception {
    JsonObject data = signupData(newUsername("missing"));
    data.remove("email");
    assertSignupRefused(data, StatusCode.BAD_PACKET, "email");
  }

  @Test
  void a_signup_with_a_too_long_field_is_refused_naming_it() throws Exception {
    assertSignupRefused(signupData(newUsername("long")).put("fullname", "x".repeat(257)), StatusCode.BAD_PACKET, "fullname");
    assertSignupRefused(signupData("u".repeat(33)), StatusCode.BAD_PACKET, "user");
  }

  @Test
  void a_signup_with_a_bad_email_is_refused() throws Exception {
    assertSignupRefused(signupData(newUsername("mail")).put("email", "not-an-email"), StatusCode.BAD_PACKET, "email");
  }

  @Test
  void a_signup_with_a_bad_date_of_birth_is_refused() throws Exception {
    assertSignupRefused(signupData(newUsername("dob")).put("dob", "2990-01-01"), StatusCode.BAD_PACKET, "dob");
    assertSignupRefused(signupData(newUsername("dob")).put("dob", "1990-02-30"), StatusCode.BAD_PACKET, "dob");
  }

  @Test
  void a_signup_with_a_weak_password_is_refused() throws Exception {
    String user = newUsername("weak");
    assertSignupRefused(signupData(user).put("password", "short"), StatusCode.BAD_PACKET, "password");
    assertSignupRefused(signupData(user).put("password", user), StatusCode.BAD_PACKET, "password");
  }

  @Test
  void a_taken_username_or_email_is_only_revealed_after_a_solved_captcha() throws Exception {
    String user = clients.signedUpUser("taken");
    ParleyConnection connection = clients.connect();

    Envelope nameCaptcha = request(connection, PacketType.SIGNUP, signupData(user).put("email", newUsername("other") + "@example.org"));
    assertThat(nameCaptcha.is(PacketType.CAPTCHA)).as("a taken username is answered like a free one: %s", nameCaptcha).isTrue();
    Envelope nameTaken = request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", powAnswer(nameCaptcha)));
    assertThat(nameTaken.statusCode()).contains(StatusCode.USERNAME_TAKEN);
    assertThat(nameTaken.data().getString("desc")).startsWith("user");

    Envelope mailCaptcha = request(connection, PacketType.SIGNUP, signupData(newUsername("other")).put("email", user.toUpperCase() + "@EXAMPLE.org"));
    assertThat(mailCaptcha.is(PacketType.CAPTCHA)).as("a taken email is answered like a free one: %s", mailCaptcha).isTrue();
    Envelope mailTaken = request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", powAnswer(mailCaptcha)));
    assertThat(mailTaken.statusCode()).contains(StatusCode.EMAIL_TAKEN);
    assertThat(mailTaken.data().getString("desc")).startsWith("email");
    await(connection.close());
  }

  @Test
  void a_signup_with_a_taken_email_does_the_same_password_hashing_as_one_with_a_free_email() throws Exception {
    String user = clients.signedUpUser("probe");
    ParleyConnection connection = clients.connect();

    PasswordWork before = passwordWork();
    Envelope taken = request(connection, PacketType.SIGNUP, signupData(newUsername("probe")).put("email", user + "@example.org"));
    PasswordWork afterTaken = passwordWork();
    Envelope free = request(connection, PacketType.SIGNUP, signupData(newUsername("probe")));
    PasswordWork afterFree = passwordWork();

    assertThat(taken.type()).isEqualTo(free.type()).isEqualTo(PacketType.CAPTCHA.wireName());
    assertThat(taken.data().getJsonObject("challenge").fieldNames()).isEqualTo(free.data().getJsonObject("challenge").fieldNames());
    assertThat(afterTaken.minus(before)).isEqualTo(new PasswordWork(1, 0));
    assertThat(afterFree.minus(afterTaken)).isEqualTo(new PasswordWork(1, 0));
    await(connection.close());
  }

  @Test
  void two_connections_racing_for_one_username_get_exactly_one_account() throws Exception {
    String user = newUsername("race");
    ParleyConnection a = clients.connect();
    ParleyConnection b = clients.connect();
    Envelope captchaA = request(a, PacketType.SIGNUP, signupData(user));
    Envelope captchaB = request(b, PacketType.SIGNUP, signupData(user).put("email", user + "@other.example.org"));

    Future<Envelope> answerA = a.request(PacketType.S_CAPTCHA, new JsonObject().put("solved", powAnswer(captchaA)));
    Future<Envelope> answerB = b.request(PacketType.S_CAPTCHA, new JsonObject().put("solved", powAnswer(captchaB)));
    List<StatusCode> outcomes = List.of(await(answerA).statusCode().orElseThrow(), await(answerB).statusCode().orElseThrow());

    assertThat(outcomes).containsExactlyInAnyOrder(StatusCode.NEW_ACC_OK, StatusCode.USERNAME_TAKEN);
    long rows = await(db.preparedQuery("SELECT count(*) FROM auth.users WHERE username = $1").execute(Tuple.of(user)))
        .iterator().next().getLong(0);
    assertThat(rows).isEqualTo(1);
    await(a.close());
    await(b.close());
  }

  // --- Captcha abuse ---

  @Test
  void a_captcha_answered_twice_is_refused_the_second_time() throws Exception {
    ParleyConnection connection = clients.connect();
    Envelope captcha = request(connection, PacketType.SIGNUP, signupData(newUsername("twice")));
    JsonObject answer = new JsonObject().put("solved", powAnswer(captcha));

    assertThat(request(connection, PacketType.S_CAPTCHA, answer).statusCode()).contains(StatusCode.NEW_ACC_OK);
    assertThat(request(connection, PacketType.S_CAPTCHA, answer).statusCode()).contains(StatusCode.CAPTCHA_EXPIRED);
    await(connection.close());
  }

  @Test
  void a_captcha_answered_from_another_connection_is_refused() throws Exception {
    ParleyConnection asker = clients.connect();
    ParleyConnection other = clients.connect();
    Envelope captcha = request(asker, PacketType.SIGNUP, signupData(newUsername("elsewhere")));
    JsonObject answer = new JsonObject().put("solved", powAnswer(captcha));

    assertThat(request(other, PacketType.S_CAPTCHA, answer).statusCode()).contains(StatusCode.CAPTCHA_EXPIRED);
    assertThat(request(asker, PacketType.S_CAPTCHA, answer).statusCode()).contains(StatusCode.NEW_ACC_OK);
    await(asker.close());
    await(other.close());
  }

  @Test
  void a_captcha_answered_after_it_expired_is_refused() throws Exception {
    String user = newUsername("late");
    ParleyConnection connection = clients.connect();
    Envelope captcha = request(connection, PacketType.SIGNUP, signupData(user));
    // Expire this signup's captcha now instead of waiting two minutes.
    for (Response key : await(redis.keys("parley:captcha:*"))) {
      Response value = await(redis.get(key.toString()));
      if (value != null && value.toString().contains("\"" + user + "\"")) {
        await(redis.pexpire(List.of(key.toString(), "1")));
        await(redis.pttl(key.toString()));
      }
    }
    awaitExpiry(user);

    Envelope reply = request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", powAnswer(captcha)));

    assertThat(reply.statusCode()).contains(StatusCode.CAPTCHA_EXPIRED);
    await(connection.close());
  }

  /** Redis expires a 1 ms key lazily on access; reading it until it is gone needs no sleep. */
  static void awaitExpiry(String user) throws Exception {
    for (int i = 0; i < 1000; i++) {
      boolean found = false;
      for (Response key : await(redis.keys("parley:captcha:*"))) {
        Response value = await(redis.get(key.toString()));
        found |= value != null && value.toString().contains("\"" + user + "\"");
      }
      if (!found) {
        return;
      }
    }
    throw new AssertionError("captcha did not expire");
  }

  @Test
  void a_wrong_answer_gets_a_fresh_challenge_and_too_many_end_the_attempt() throws Exception {
    ParleyConnection connection = clients.connect();
    Envelope captcha = request(connection, PacketType.SIGNUP, signupData(newUsername("wrong")));
    JsonObject first = captcha.data().getJsonObject("challenge");

    Envelope wrong = request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", "zzzz-not-it"));
    assertThat(wrong.statusCode()).contains(StatusCode.CAPTCHA_WRONG);
    assertThat(wrong.data().getJsonObject("challenge").getString("challenge")).isNotEqualTo(first.getString("challenge"));

    Envelope last = wrong;
    for (int i = 0; i < 10 && last.statusCode().orElseThrow() == StatusCode.CAPTCHA_WRONG; i++) {
      last = request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", "zzzz-not-it"));
    }
    assertThat(last.statusCode()).contains(StatusCode.RATE_LIMITED);
    assertThat(request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", "x")).statusCode())
        .contains(StatusCode.CAPTCHA_EXPIRED);
    await(connection.close());
  }

  // --- Login ---

  @Test
  void an_unknown_user_and_a_wrong_password_get_the_same_answer() throws Exception {
    String user = clients.signedUpUser("same");
    ParleyConnection connection = clients.connect();

    Envelope unknown = request(connection, PacketType.LOGIN, new JsonObject().put("id", newUsername("ghost")).put("password", PASSWORD));
    Envelope wrong = request(connection, PacketType.LOGIN, new JsonObject().put("id", user).put("password", "not the password"));
    secrets.add("not the password");

    assertThat(unknown.statusCode()).contains(StatusCode.LOGIN_FAILED);
    assertThat(wrong.data()).isEqualTo(unknown.data());
    await(connection.close());
  }

  @Test
  void login_works_with_the_email_too() throws Exception {
    String user = clients.signedUpUser("bymail");
    ParleyConnection connection = clients.connect();

    Envelope reply = request(connection, PacketType.LOGIN, new JsonObject().put("id", user.toUpperCase() + "@Example.org").put("password", PASSWORD));

    assertThat(reply.statusCode()).contains(StatusCode.LOGIN_OK);
    assertThat(reply.data().getString("user")).isEqualTo(user);
    await(connection.close());
  }

  @Test
  void past_ten_wrong_passwords_a_new_address_gets_captchas_instead_of_checks_while_another_account_still_logs_in() throws Exception {
    String victim = clients.signedUpUser("victim");
    String bystander = clients.signedUpUser("bystander");
    ParleyConnection connection = clients.connect();
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      answers.add(outcome(request(connection, PacketType.LOGIN, new JsonObject().put("id", victim).put("password", "guess number " + i))));
    }

    assertThat(answers.subList(0, 10)).containsOnly(StatusCode.LOGIN_FAILED.name());
    assertThat(answers.subList(10, 20)).containsOnly(PacketType.CAPTCHA.wireName());
    // Even the right password is not checked from this address without a solved captcha...
    assertThat(outcome(request(connection, PacketType.LOGIN, new JsonObject().put("id", victim).put("password", PASSWORD))))
        .isEqualTo(PacketType.CAPTCHA.wireName());
    // ...and another account is unaffected.
    assertThat(request(connection, PacketType.LOGIN, new JsonObject().put("id", bystander).put("password", PASSWORD)).statusCode())
        .contains(StatusCode.LOGIN_OK);
    await(connection.close());
  }

  @Test
  void a_burst_of_concurrent_wrong_logins_counts_every_attempt() throws Exception {
    String victim = clients.signedUpUser("burst");
    String attacker = "127.0.0.21";
    ParleyConnection connection = clients.connectFrom(attacker);
    PasswordWork before = passwordWork();

    List<Future<Envelope>> burst = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      burst.add(connection.request(PacketType.LOGIN, new JsonObject().put("id", victim).put("password", "burst guess " + i)));
    }
    List<String> answers = new ArrayList<>();
    for (Future<Envelope> reply : burst) {
      answers.add(outcome(await(reply)));
    }

    // Exactly the threshold's worth of passwords was checked; the rest were asked for a captcha.
    assertThat(answers.stream().filter(StatusCode.LOGIN_FAILED.name()::equals).count()).isEqualTo(10);
    assertThat(answers.stream().filter(PacketType.CAPTCHA.wireName()::equals).count()).isEqualTo(20);
    assertThat(passwordWork().minus(before)).isEqualTo(new PasswordWork(0, 10));
    assertThat(await(redis.get(RedisKeys.loginFailuresForAccount(victim))).toLong()).isEqualTo(10);
    assertThat(await(redis.get(RedisKeys.loginFailuresForAddress(attacker))).toLong()).isEqualTo(10);
    await(connection.close());
  }

  @Test
  void the_owner_logs_in_from_a_known_address_while_an_attackers_failures_pile_up() throws Exception {
    String owner = clients.signedUpUser("owner");
    String home = "127.0.0.31";
    ParleyConnection first = clients.connectFrom(home);
    login(first, owner, false);
    await(first.close());

    ParleyConnection attacker = clients.connectFrom("127.0.0.32");
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      answers.add(outcome(request(attacker, PacketType.LOGIN, new JsonObject().put("id", owner).put("password", "attack guess " + i))));
    }
    assertThat(answers.subList(0, 10)).containsOnly(StatusCode.LOGIN_FAILED.name());
    assertThat(answers.subList(10, 15)).containsOnly(PacketType.CAPTCHA.wireName());

    ParleyConnection again = clients.connectFrom(home);
    assertThat(request(again, PacketType.LOGIN, new JsonObject().put("id", owner).put("password", PASSWORD)).statusCode())
        .contains(StatusCode.LOGIN_OK);
    // Her success refunds only her own attempt: the attacker's failures still count.
    assertThat(outcome(request(attacker, PacketType.LOGIN, new JsonObject().put("id", owner).put("password", "attack guess 15"))))
        .isEqualTo(PacketType.CAPTCHA.wireName());
    await(again.close());
    await(attacker.close());
  }

  @Test
  void a_new_address_past_the_threshold_gets_a_captcha_and_logs_in_after_solving_it() throws Exception {
    String user = clients.signedUpUser("traveller");
    ParleyConnection attacker = clients.connectFrom("127.0.0.41");
    for (int i = 0; i < 10; i++) {
      assertThat(request(attacker, PacketType.LOGIN, new JsonObject().put("id", user).put("password", "guess " + i)).statusCode())
          .contains(StatusCode.LOGIN_FAILED);
    }
    await(attacker.close());

    ParleyConnection traveller = clients.connectFrom("127.0.0.42");
    JsonObject rightPassword = new JsonObject().put("id", user).put("password", PASSWORD);
    Envelope captcha = request(traveller, PacketType.LOGIN, rightPassword);
    assertThat(captcha.is(PacketType.CAPTCHA)).as("%s", captcha).isTrue();
    assertThat(request(traveller, PacketType.S_CAPTCHA, new JsonObject().put("solved", powAnswer(captcha))).statusCode())
        .contains(StatusCode.CAPTCHA_OK);
    Envelope loggedIn = request(traveller, PacketType.LOGIN, rightPassword);
    assertThat(loggedIn.statusCode()).contains(StatusCode.LOGIN_OK);
    assertThat(loggedIn.data().getString("user")).isEqualTo(user);
    await(traveller.close());

    // The SDK does the same by itself, from yet another address.
    ParleyConnection sdk = clients.connectFrom("127.0.0.43");
    login(sdk, user, false);
    await(sdk.close());
  }

  @Test
  void a_solved_login_captcha_buys_exactly_one_password_check() throws Exception {
    String user = clients.signedUpUser("onecheck");
    ParleyConnection connection = clients.connectFrom("127.0.0.51");
    for (int i = 0; i < 10; i++) {
      request(connection, PacketType.LOGIN, new JsonObject().put("id", user).put("password", "guess " + i));
    }
    Envelope captcha = request(connection, PacketType.LOGIN, new JsonObject().put("id", user).put("password", "guess 10"));
    assertThat(request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", powAnswer(captcha))).statusCode())
        .contains(StatusCode.CAPTCHA_OK);

    assertThat(request(connection, PacketType.LOGIN, new JsonObject().put("id", user).put("password", "guess 10")).statusCode())
        .contains(StatusCode.LOGIN_FAILED);
    assertThat(outcome(request(connection, PacketType.LOGIN, new JsonObject().put("id", user).put("password", "guess 11"))))
        .isEqualTo(PacketType.CAPTCHA.wireName());
    await(connection.close());
  }

  /** A reply's status name, or its packet type when it is not a STATUS. */
  static String outcome(Envelope reply) {
    return reply.statusCode().map(StatusCode::name).orElse(reply.type());
  }

  /** Argon2 hashes and verifications the server has finished, from its /metrics. */
  record PasswordWork(long hashes, long verifications) {
    PasswordWork minus(PasswordWork earlier) {
      return new PasswordWork(hashes - earlier.hashes, verifications - earlier.verifications);
    }
  }

  static PasswordWork passwordWork() throws Exception {
    // HTTP/1.1 and a timeout: the JDK client's default h2c upgrade attempt was seen to hang against
    // the ops server on a loaded machine, and a scrape must never hang a test.
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.httpPort() + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new PasswordWork(metric(response.body(), "hash"), metric(response.body(), "verify"));
  }

  private static long metric(String scrape, String kind) {
    Matcher line = Pattern.compile("(?m)^parley_password_work_total\\{[^}]*kind=\"" + kind + "\"[^}]*\\} ([0-9.eE+]+)$").matcher(scrape);
    assertThat(line.find()).as("parley_password_work_total{kind=%s} in /metrics", kind).isTrue();
    return (long) Double.parseDouble(line.group(1));
  }

  @Test
  void a_chat_key_that_is_not_x25519_is_refused() throws Exception {
    String user = clients.signedUpUser("badkey");
    ParleyConnection connection = clients.connect();
    assertThat(request(connection, PacketType.LOGIN, new JsonObject().put("id", user).put("password", PASSWORD)).statusCode())
        .contains(StatusCode.LOGIN_OK);
    String ed25519Pem = io.parley.shared.channel.ServerIdentity.generate(new java.security.SecureRandom()).publicKeyPem();

    Envelope reply = request(connection, PacketType.CHAT_ENCRYPT_C, new JsonObject().put("chat_pubkey", ed25519Pem));

    assertThat(reply.statusCode()).contains(StatusCode.BAD_PACKET);
    assertThat(reply.data().getString("desc")).startsWith("chat_pubkey");
    await(connection.close());
  }

  // --- Tokens ---

  @Test
  void a_token_used_from_another_device_is_refused() throws Exception {
    String user = clients.signedUpUser("device");
    ParleyConnection connection = clients.connect();
    String token = login(connection, user, false);
    await(connection.close());

    ParleyConnection otherDevice = clients.connect(UUID.randomUUID());
    assertThat(statusOf(awaitFailure(new Accounts(otherDevice).resume(user, token)))).isEqualTo(StatusCode.TOKEN_REFUSED);
    await(otherDevice.close());
  }

  @Test
  void a_token_for_one_user_presented_as_another_is_refused() throws Exception {
    String alice = clients.signedUpUser("owner");
    String bob = clients.signedUpUser("impostor");
    UUID device = UUID.randomUUID();
    ParleyConnection connection = clients.connect(device);
    String token = login(connection, alice, false);
    await(connection.close());

    ParleyConnection again = clients.connect(device);
    assertThat(statusOf(awaitFailure(new Accounts(again).resume(bob, token)))).isEqualTo(StatusCode.TOKEN_REFUSED);
    await(again.close());
  }

  @Test
  void a_tampered_token_is_refused() throws Exception {
    String user = clients.signedUpUser("tamper");
    UUID device = UUID.randomUUID();
    ParleyConnection connection = clients.connect(device);
    String token = login(connection, user, false);
    await(connection.close());
    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("exp", claims.getLong("exp") + 86_400 * 365);
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

    ParleyConnection again = clients.connect(device);
    assertThat(statusOf(awaitFailure(new Accounts(again).resume(user, forged)))).isEqualTo(StatusCode.TOKEN_REFUSED);
    await(again.close());
  }

  @Test
  void an_expired_token_is_refused() throws Exception {
    String user = clients.signedUpUser("expired");
    UUID device = UUID.randomUUID();
    TokenKeys keys = TokenKeys.load(parley.config().getPath(ConfigKey.TOKEN_KEY_FILE), false);
    Clock lastMonth = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC);
    SessionToken old = new TokenIssuer(parley.vertx(), keys, lastMonth).issue(user, device, false);
    secrets.add(old.token());

    ParleyConnection connection = clients.connect(device);
    assertThat(statusOf(awaitFailure(new Accounts(connection).resume(user, old.token())))).isEqualTo(StatusCode.TOKEN_REFUSED);
    await(connection.close());
  }

  @Test
  void the_same_token_still_resumes_when_nothing_is_wrong_with_it() throws Exception {
    String user = clients.signedUpUser("valid");
    UUID device = UUID.randomUUID();
    ParleyConnection connection = clients.connect(device);
    String token = login(connection, user, false);
    await(connection.close());

    ParleyConnection again = clients.connect(device);
    await(new Accounts(again).resume(user, token));
    await(again.close());
  }

  static LocalDate anyDob() {
    return LocalDate.of(1990, 1, 1);
  }
}
