package io.parley.standalone;

import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.newUsername;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.parley.client.Accounts;
import io.parley.client.Messages;
import io.parley.client.ParleyConnection;
import io.parley.shared.captcha.ProofOfWork;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.protocol.packet.ChatAction;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.protocol.packet.MessageFormat;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.TestInfra;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * DESIGN §5: logs never contain passwords, tokens, keys or ciphertext. One whole session — signup
 * with its captcha, login, chat, DEVICES, LOGOUT, AUTH_TOKEN, and bad inputs of every kind — runs
 * with io.parley logging at TRACE, so every line that describes a request is emitted; then no line
 * (message, arguments, MDC, throwable chain) may hold any secret the session used.
 */
class LogHygieneTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  static final Logger parleyLogger = (Logger) LoggerFactory.getLogger("io.parley");
  static Level parleyLevel;

  static Standalone parley;
  static TestClients clients;
  /** Every secret the session uses: recognisable, long enough never to occur by chance. */
  static final Set<String> secrets = new LinkedHashSet<>();

  @BeforeAll
  static void start() throws Exception {
    parleyLevel = parleyLogger.getLevel();
    parleyLogger.setLevel(Level.TRACE);
    logs.start();
    root.addAppender(logs);
    parley =
        Standalone.start(
            TestInfra.config(LogHygieneTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.CAPTCHA_KIND, "pow")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 6)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000));
    clients = new TestClients(parley);
  }

  @AfterAll
  static void stop() throws Exception {
    if (parley != null) {
      parley.close();
    }
    root.detachAppender(logs);
    parleyLogger.setLevel(parleyLevel);
  }

  /** A secret: the marker, then random lower-case letters and digits (valid in every field used here). */
  static String secret(String marker) {
    StringBuilder text = new StringBuilder(marker);
    for (int i = 0; i < 20; i++) {
      text.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    String value = text.toString();
    secrets.add(value);
    return value;
  }

  /** Ciphertext whose first bytes are random, so a prefix of its base64 is recognisable too. */
  static String ciphertext(int bytes) {
    byte[] content = new byte[bytes];
    RANDOM.nextBytes(content);
    String base64 = Base64.getEncoder().encodeToString(content);
    secrets.add(base64.substring(0, 24));
    return base64;
  }

  static void secretToken(String token) {
    secrets.add(token);
    secrets.add(token.substring(token.lastIndexOf('.') + 1)); // the signature alone
  }

  static void secretKey(String pem) {
    secrets.add(pem.strip());
    // The key material: the base64 body, without the SubjectPublicKeyInfo prefix every X25519 key shares.
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    secrets.add(body.substring(16));
  }

  /** A proof-of-work answer that starts with a recognisable secret, found by trying suffixes. */
  static String powAnswer(Envelope captcha) {
    JsonObject challenge = captcha.data().getJsonObject("challenge");
    String prefix = secret("captchaanswer");
    for (long n = 0; ; n++) {
      String answer = prefix + Long.toString(n, 36);
      if (ProofOfWork.verify(challenge.getString("challenge"), challenge.getInteger("difficulty"), answer)) {
        return answer;
      }
    }
  }

  static Envelope request(ParleyConnection connection, PacketType type, JsonObject data) throws Exception {
    return await(connection.request(type, data));
  }

  @Test
  void a_whole_session_with_bad_inputs_leaves_no_secret_in_any_log_line() throws Exception {
    String user = newUsername("hygiene");
    String password = secret("accountpassword");
    UUID device = UUID.randomUUID();
    ParleyConnection connection = clients.connect(device);

    // Signup: a wrong captcha answer, then a right one.
    JsonObject signup = new JsonObject().put("user", user).put("email", user + "@example.org").put("fullname", "Log Hygiene")
        .put("dob", "1990-01-01").put("password", password);
    Envelope captcha = request(connection, PacketType.SIGNUP, signup);
    Envelope wrong = request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", secret("wrongcaptcha")));
    assertThat(wrong.statusCode()).contains(StatusCode.CAPTCHA_WRONG);
    assertThat(request(connection, PacketType.S_CAPTCHA, new JsonObject().put("solved", powAnswer(wrong))).statusCode())
        .contains(StatusCode.NEW_ACC_OK);
    assertThat(captcha.is(PacketType.CAPTCHA)).isTrue();

    // Login: a wrong password, then the right one and a chat key.
    assertThat(request(connection, PacketType.LOGIN, new JsonObject().put("id", user).put("password", secret("wrongpassword"))).statusCode())
        .contains(StatusCode.LOGIN_FAILED);
    String chatKey = TestClients.chatKey();
    secretKey(chatKey);
    String token = await(new Accounts(connection).login(user, password, true, chatKey));
    secretToken(token);

    // Chat with a peer: send, edit, delete with a reason, pin, save-pubkey.
    secrets.add(TestClients.PASSWORD);
    try (Member peer = Member.signUp(clients, "peer")) {
      secretToken(peer.token);
      Messages messages = new Messages(connection);
      UUID room = await(new io.parley.client.Rooms(connection).createRoom(RoomType.GROUP, "hygiene", List.of(peer.user)));
      Messages.Ack sent = await(messages.send(room, ciphertext(48)));
      await(messages.edit(room, sent.event(), ciphertext(48)));
      await(messages.pin(room, sent.event()));
      await(messages.delete(room, sent.event(), ciphertext(32)));
      String secondKey = TestClients.chatKey();
      secretKey(secondKey);
      await(messages.savePubkey(room, secondKey));
      await(peer.messages.send(room, ciphertext(48)));
      await(messages.syncAfter(room, null, 50));

      // Over-long and refused values, on a live session.
      assertThat(await(connection.request(new ChatAction(room, new ChatAction.Send(MessageFormat.TEXT, ciphertext(64 * 1024 + 3))).toEnvelope()))
          .statusCode()).contains(StatusCode.TOO_LARGE);
      Messages.Ack another = await(messages.send(room, ciphertext(48)));
      assertThat(await(connection.request(new ChatAction(room, new ChatAction.Delete(another.event(), ciphertext(4096 + 3))).toEnvelope()))
          .statusCode()).contains(StatusCode.TOO_LARGE);
      assertThat(await(peer.connection.request(new ChatAction(room, new ChatAction.Edit(another.event(), ciphertext(48))).toEnvelope()))
          .statusCode()).contains(StatusCode.FORBIDDEN);
      String ed25519 = io.parley.shared.channel.ServerIdentity.generate(RANDOM).publicKeyPem();
      secretKey(ed25519);
      assertThat(request(connection, PacketType.CHAT_ENCRYPT_C, new JsonObject().put("chat_pubkey", ed25519)).statusCode())
          .contains(StatusCode.BAD_PACKET);
      String overlongKey = "-----BEGIN PUBLIC KEY-----\n" + secret("overlongkey").repeat(60) + "\n-----END PUBLIC KEY-----\n";
      assertThat(request(connection, PacketType.CHAT_ENCRYPT_C, new JsonObject().put("chat_pubkey", overlongKey)).statusCode())
          .hasValueSatisfying(LogHygieneTest::isAFieldRefusal);
    }

    // DEVICES, then LOGOUT: the token is revoked.
    assertThat(await(new Accounts(connection).devices())).isNotEmpty();
    await(new Accounts(connection).logout());
    await(connection.close());

    // AUTH_TOKEN: the revoked token, a tampered one, one from another device, then a fresh valid one.
    ParleyConnection resumed = clients.connect(device);
    assertThat(await(resumed.request(new AuthToken(user, token).toEnvelope())).statusCode()).contains(StatusCode.TOKEN_REFUSED);
    String tampered = token.substring(0, token.lastIndexOf('.') + 1) + secret("tamperedsignature");
    assertThat(await(resumed.request(new AuthToken(user, tampered).toEnvelope())).statusCode()).contains(StatusCode.TOKEN_REFUSED);
    String fresh = await(new Accounts(resumed).login(user, password, false, chatKey));
    secretToken(fresh);
    await(resumed.close());
    ParleyConnection elsewhere = clients.connect();
    assertThat(await(elsewhere.request(new AuthToken(user, fresh).toEnvelope())).statusCode()).contains(StatusCode.TOKEN_REFUSED);
    await(elsewhere.close());
    ParleyConnection again = clients.connect(device);
    assertThat(await(again.request(new AuthToken(user, fresh).toEnvelope())).statusCode()).contains(StatusCode.LOGIN_OK);

    // Over-long fields where a secret goes: each refused, the connection kept.
    String longPassword = secret("overlongpassword").repeat(20);
    assertThat(request(again, PacketType.LOGIN, new JsonObject().put("id", user).put("password", longPassword)).statusCode())
        .hasValueSatisfying(LogHygieneTest::isAFieldRefusal);
    JsonObject longSignup = signup.copy().put("user", newUsername("hygiene")).put("email", newUsername("m") + "@example.org")
        .put("password", secret("overlongsignuppassword").repeat(20));
    assertThat(request(again, PacketType.SIGNUP, longSignup).statusCode()).hasValueSatisfying(LogHygieneTest::isAFieldRefusal);
    String longToken = secret("overlongtoken").repeat(140);
    assertThat(await(again.request(new AuthToken(user, longToken).toEnvelope())).statusCode())
        .hasValueSatisfying(LogHygieneTest::isAFieldRefusal);
    assertThat(request(again, PacketType.S_CAPTCHA, new JsonObject().put("solved", secret("overlongcaptcha").repeat(10))).statusCode())
        .hasValueSatisfying(LogHygieneTest::isAFieldRefusal);
    // A secret where a number or a boolean belongs.
    assertThat(request(again, PacketType.LOGIN, new JsonObject().put("id", user).put("password", password).put("save", secret("savefield")))
        .statusCode()).contains(StatusCode.BAD_PACKET);
    await(again.close());

    // Malformed JSON holding a password: the connection is closed with PROTOCOL_ERROR.
    for (String malformed : List.of(
        "{\"type\":\"LOGIN\",\"data\":{\"id\":\"" + user + "\",\"password\":\"" + secret("truncatedjson") + "\"}",
        "{\"type\":\"LOGIN\",\"data\":{\"id\":\"" + user + "\",\"password\":\"" + secret("duplicatekey") + "\",\"password\":\"x\"}}",
        "{\"type\":\"LOGIN\",\"data\":{\"password\":\"" + secret("trailingbytes") + "\"}} " + secret("trailinggarbage"),
        "{\"type\":\"AUTH_TOKEN\",\"data\":{\"user\":\"" + user + "\",\"token\":\"" + fresh + "\"" + ",}}")) {
      try (RawClient raw = RawClient.connect(parley, UUID.randomUUID())) {
        raw.sendSealed(malformed);
        assertThat(raw.nextPacket().statusCode()).as(malformed).contains(StatusCode.PROTOCOL_ERROR);
        assertThat(raw.awaitClosed()).isTrue();
      }
    }

    // Every line the server could still write about this session is written by the time it stops.
    parley.close();
    parley = null;
    root.detachAppender(logs);

    List<ILoggingEvent> lines = new ArrayList<>(logs.list);
    assertThat(lines).as("DEBUG lines from io.parley: the request-level logging was on")
        .anyMatch(event -> event.getLevel() == Level.DEBUG && event.getLoggerName().startsWith("io.parley"));
    for (ILoggingEvent event : lines) {
      String text = everything(event);
      for (String secret : secrets) {
        assertThat(text).as("%s line from %s: %s", event.getLevel(), event.getLoggerName(), event.getFormattedMessage())
            .doesNotContain(secret);
      }
    }
  }

  /** A value over its limit is BAD_PACKET or TOO_LARGE naming the field (docs/protocol.md §7). */
  static void isAFieldRefusal(StatusCode code) {
    assertThat(code).isIn(StatusCode.BAD_PACKET, StatusCode.TOO_LARGE);
  }

  /** The message, its pattern and arguments, the MDC, and the whole throwable chain of one log event. */
  static String everything(ILoggingEvent event) {
    StringBuilder text = new StringBuilder();
    text.append(event.getFormattedMessage()).append('\n').append(event.getMessage()).append('\n');
    if (event.getArgumentArray() != null) {
      for (Object argument : event.getArgumentArray()) {
        text.append(argument).append('\n');
      }
    }
    text.append(event.getMDCPropertyMap()).append('\n');
    if (event.getKeyValuePairs() != null) {
      text.append(event.getKeyValuePairs()).append('\n');
    }
    appendThrowable(event.getThrowableProxy(), text, 0);
    return text.toString();
  }

  private static void appendThrowable(IThrowableProxy throwable, StringBuilder text, int depth) {
    if (throwable == null || depth > 20) {
      return;
    }
    text.append(throwable.getClassName()).append(": ").append(throwable.getMessage()).append('\n');
    appendThrowable(throwable.getCause(), text, depth + 1);
    if (throwable.getSuppressed() != null) {
      for (IThrowableProxy suppressed : throwable.getSuppressed()) {
        appendThrowable(suppressed, text, depth + 1);
      }
    }
  }
}
