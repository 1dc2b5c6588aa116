package io.parley.client;

import io.parley.shared.captcha.ProofOfWork;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.protocol.packet.ChatEncryptC;
import io.parley.shared.protocol.packet.DeleteAccount;
import io.parley.shared.protocol.packet.Devices;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.protocol.packet.Logout;
import io.parley.shared.protocol.packet.RevokeDevice;
import io.parley.shared.protocol.packet.SCaptcha;
import io.parley.shared.protocol.packet.Signup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Accounts over one connection: SIGNUP with its captcha, LOGIN, CHAT_ENCRYPT_C → GEN_TOKEN, resume
 * with AUTH_TOKEN, LOGOUT. Every method completes with the success reply's meaning or fails with
 * {@link ParleyStatusException} carrying the server's STATUS.
 */
public final class Accounts {
  /** A proof-of-work search gives up after this many times the expected attempts (bad luck is rarer). */
  private static final long POW_ATTEMPT_FACTOR = 64;

  private final ParleyConnection connection;
  private final Vertx vertx;

  public Accounts(ParleyConnection connection) {
    this.connection = connection;
    this.vertx = connection.vertx();
  }

  /**
   * SIGNUP → CAPTCHA → S_CAPTCHA (repeated after CAPTCHA_WRONG) → NEW_ACC_OK. A taken username or
   * email (USERNAME_TAKEN / EMAIL_TAKEN) is only reported after the captcha is solved.
   */
  public Future<Void> signup(String user, String email, String fullname, LocalDate dob, String password, CaptchaSolver solver) {
    Signup signup = new Signup(user, email, fullname, dob, password);
    return expect(connection.request(signup.toEnvelope()), PacketType.CAPTCHA)
        .compose(captcha -> answer(captcha.data().getJsonObject("challenge"), solver, StatusCode.NEW_ACC_OK));
  }

  /** S_CAPTCHA until the answer is accepted ({@code accepted}) or refused for another reason. */
  private Future<Void> answer(JsonObject challenge, CaptchaSolver solver, StatusCode accepted) {
    return solve(challenge, solver)
        .compose(solution -> connection.request(new SCaptcha(solution).toEnvelope()))
        .compose(reply -> {
          StatusCode code = reply.statusCode().orElse(null);
          if (code == accepted) {
            return Future.succeededFuture();
          }
          if (code == StatusCode.CAPTCHA_WRONG && reply.data().containsKey("challenge")) {
            return answer(reply.data().getJsonObject("challenge"), solver, accepted);
          }
          return Future.failedFuture(new ParleyStatusException(reply));
        });
  }

  private Future<String> solve(JsonObject challenge, CaptchaSolver solver) {
    String kind = challenge == null ? null : challenge.getString("kind");
    if (ProofOfWork.KIND.equals(kind)) {
      String puzzle = challenge.getString("challenge");
      int difficulty = challenge.getInteger("difficulty");
      long expected = ProofOfWork.expectedAttempts(difficulty);
      // CPU-bound search: off the event loop.
      return vertx.executeBlocking(
          () -> ProofOfWork.solve(
              puzzle, difficulty, attempts -> solver.powProgress(attempts, expected), () -> false, expected * POW_ATTEMPT_FACTOR),
          false);
    }
    if ("image".equals(kind)) {
      return solver.solveImage(Base64.getDecoder().decode(challenge.getString("png")));
    }
    return Future.failedFuture(new IllegalStateException("unknown captcha kind " + kind + "; update the SDK"));
  }

  /**
   * {@link #login(String, String, boolean, String, CaptchaSolver)} for callers that cannot show an
   * image: a proof-of-work captcha is still solved, an image captcha fails the login.
   */
  public Future<String> login(String id, String password, boolean save, String chatPublicKeyPem) {
    return login(id, password, save, chatPublicKeyPem,
        png -> Future.failedFuture(new IllegalStateException("the server asks for an image captcha; log in with a CaptchaSolver")));
  }

  /**
   * LOGIN → LOGIN_OK, then CHAT_ENCRYPT_C with this device's chat public key → GEN_TOKEN. Completes
   * with the session token (keep it to resume with {@link #resume}); 30 days when {@code save}, else 24 h.
   *
   * <p>After many failed logins for this account, the server answers a LOGIN from an address new to
   * the account with CAPTCHA: the captcha is solved (S_CAPTCHA → CAPTCHA_OK) and the LOGIN sent once
   * more, which then gets its password checked.
   */
  public Future<String> login(String id, String password, boolean save, String chatPublicKeyPem, CaptchaSolver solver) {
    Login login = new Login(id, password, save);
    return connection.request(login.toEnvelope())
        .compose(reply -> reply.is(PacketType.CAPTCHA)
            ? answer(reply.data().getJsonObject("challenge"), solver, StatusCode.CAPTCHA_OK)
                .compose(admitted -> connection.request(login.toEnvelope()))
            : Future.succeededFuture(reply))
        .compose(reply -> expectStatus(Future.succeededFuture(reply), StatusCode.LOGIN_OK))
        .compose(ok -> registerChatKey(chatPublicKeyPem));
  }

  /** CHAT_ENCRYPT_C → GEN_TOKEN: (re)registers this device's chat key and returns a fresh token. */
  public Future<String> registerChatKey(String chatPublicKeyPem) {
    return expect(connection.request(new ChatEncryptC(chatPublicKeyPem).toEnvelope()), PacketType.GEN_TOKEN)
        .map(reply -> reply.data().getString("token"));
  }

  /** AUTH_TOKEN → LOGIN_OK: authenticates this connection with a saved token, no password. */
  public Future<Void> resume(String user, String token) {
    return expectStatus(connection.request(new AuthToken(user, token).toEnvelope()), StatusCode.LOGIN_OK);
  }

  /** LOGOUT → LOGOUT_OK: revokes this device's tokens; the connection is no longer authenticated. */
  public Future<Void> logout() {
    return logout(Logout.Scope.DEVICE);
  }

  /**
   * LOGOUT with a scope: {@code DEVICE} revokes this device's tokens, {@code ALL} every token of the
   * account ("log out everywhere"). Every other live connection resting on them is told LOGGED_OUT.
   */
  public Future<Void> logout(Logout.Scope scope) {
    return expectStatus(connection.request(new Logout(scope).toEnvelope()), StatusCode.LOGOUT_OK);
  }

  /** One of the account's devices, as DEVICES lists it. */
  public record Device(UUID device, Instant created, Instant lastSeen, boolean current) {}

  /** DEVICES → every device that has logged in to this account, most recently seen first. */
  public Future<List<Device>> devices() {
    return expect(connection.request(new Devices().toEnvelope()), PacketType.DEVICES).map(reply -> {
      List<Device> devices = new ArrayList<>();
      for (Object item : reply.data().getJsonArray("devices", new JsonArray())) {
        JsonObject device = (JsonObject) item;
        devices.add(new Device(
            UUID.fromString(device.getString("device")),
            Instant.parse(device.getString("created")),
            Instant.parse(device.getString("last_seen")),
            device.getBoolean("current", false)));
      }
      return devices;
    });
  }

  /** REVOKE_DEVICE → DEVICE_REVOKED: cuts off one of this account's devices (its tokens and live connections). */
  public Future<Void> revokeDevice(UUID device) {
    return expectStatus(connection.request(new RevokeDevice(device).toEnvelope()), StatusCode.DEVICE_REVOKED);
  }

  /**
   * DELETE_ACCOUNT → ACCOUNT_DELETED: deletes the account (profile, devices, keys, sessions) after
   * the server checked {@code password}; the person's messages stay in their rooms as tombstones.
   * LOGIN_FAILED for a wrong password. The connection is no longer authenticated afterwards.
   */
  public Future<Void> deleteAccount(String password) {
    return expectStatus(connection.request(new DeleteAccount(password).toEnvelope()), StatusCode.ACCOUNT_DELETED);
  }

  static Future<Envelope> expect(Future<Envelope> reply, PacketType type) {
    return reply.compose(packet -> packet.is(type) ? Future.succeededFuture(packet) : Future.failedFuture(new ParleyStatusException(packet)));
  }

  static Future<Void> expectStatus(Future<Envelope> reply, StatusCode code) {
    return reply.compose(packet -> packet.statusCode().filter(code::equals).isPresent()
        ? Future.succeededFuture()
        : Future.failedFuture(new ParleyStatusException(packet)));
  }
}
