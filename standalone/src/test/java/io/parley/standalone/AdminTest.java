package io.parley.standalone;

import static io.parley.standalone.TestClients.PASSWORD;
import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.awaitFailure;
import static io.parley.standalone.TestClients.chatKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Accounts;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.client.Rooms;
import io.parley.client.admin.ParleyAdmin;
import io.parley.shared.admin.AdminEndpoint;
import io.parley.shared.admin.AdminSignature;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.protocol.packet.RoomList;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.TestInfra;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * parley-admin through a real standalone server: every command run by the tool as an operator types
 * it, against the ops port; a request without the key, with a wrong key, or replayed is refused and
 * changes nothing; a locked account cannot log in (ACCOUNT_LOCKED) or resume, and unlock restores it.
 */
class AdminTest {
  static Standalone parley;
  static TestClients clients;
  static Path keyFile;
  static Path wrongKeyFile;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "admin-test-");
    keyFile = Files.writeString(dir.resolve("admin.key"), "s3cret-admin-key-for-tests-0123456789abcdef\n");
    wrongKeyFile = Files.writeString(dir.resolve("wrong.key"), "another-key-of-enough-length-0123456789abcdef\n");
    parley =
        Standalone.start(
            TestInfra.config(AdminTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 4)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000)
                .with(ConfigKey.ADMIN_KEY_FILE, keyFile));
    clients = new TestClients(parley);
  }

  @AfterAll
  static void stop() throws Exception {
    parley.close();
  }

  record Run(int code, String out, String err) {
    JsonObject json() {
      return new JsonObject(out);
    }
  }

  static Run admin(String... args) {
    return adminWith(keyFile, args);
  }

  static Run adminWith(Path key, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new ParleyAdmin(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("PARLEY_ADMIN_URL", "http://127.0.0.1:" + parley.httpPort(), "PARLEY_ADMIN_KEY_FILE", key.toString()))
        .run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Run ok(String... args) {
    Run run = admin(args);
    assertThat(run.code()).as("parley-admin %s: %s", List.of(args), run.err()).isZero();
    return run;
  }

  /** A logged-in connection and every id-less STATUS pushed to it. */
  record Device(UUID id, ParleyConnection connection, String token, BlockingQueue<Envelope> pushed) {
    StatusCode nextPushedStatus() throws InterruptedException {
      Envelope status = pushed.poll(10, TimeUnit.SECONDS);
      assertThat(status).as("a STATUS pushed within 10 s").isNotNull();
      return status.statusCode().orElseThrow();
    }

    boolean authenticated() throws Exception {
      return await(connection.request(new RoomList().toEnvelope())).is(PacketType.ROOM_LIST);
    }
  }

  static Device login(String user) throws Exception {
    UUID id = UUID.randomUUID();
    ParleyConnection connection = clients.connect(id);
    BlockingQueue<Envelope> pushed = new LinkedBlockingQueue<>();
    connection.onPush(packet -> packet.statusCode().ifPresent(code -> pushed.add(packet)));
    String token = await(new Accounts(connection).login(user, PASSWORD, false, chatKey()));
    return new Device(id, connection, token, pushed);
  }

  /** What one LOGIN on a fresh connection is answered. */
  static StatusCode loginAnswer(String user, String password) throws Exception {
    ParleyConnection connection = clients.connect(UUID.randomUUID());
    try {
      return await(connection.request(new Login(user, password, false).toEnvelope())).statusCode().orElseThrow();
    } finally {
      await(connection.close());
    }
  }

  static StatusCode resumeAnswer(String user, Device device) throws Exception {
    Throwable failure = awaitFailure(clients.connectAndResume(user, device.id(), device.token()));
    return failure == null ? null : ((ParleyStatusException) failure).code().orElseThrow();
  }

  @Test
  void find_user_matches_part_of_a_username_email_or_full_name() throws Exception {
    String user = clients.signedUpUser("findme");

    Run words = ok("find-user", user.substring(0, 10));
    assertThat(words.out()).contains(user + "  <" + user + "@example.org>  Test " + user).doesNotContain("LOCKED");
    JsonArray found = ok("--json", "find-user", "TEST " + user.toUpperCase()).json().getJsonArray("users");
    assertThat(found).hasSize(1);
    assertThat(found.getJsonObject(0).getString("user")).isEqualTo(user);
    assertThat(ok("find-user", "nobody-is-called-this").out()).contains("No account matches.");
  }

  @Test
  void a_locked_account_is_logged_out_cannot_log_in_or_resume_and_unlock_restores_it() throws Exception {
    String user = clients.signedUpUser("lockme");
    Device phone = login(user);

    Run locked = ok("lock", user);

    assertThat(locked.out()).contains(user + " is locked: they cannot log in; 1 token revoked");
    assertThat(phone.nextPushedStatus()).isEqualTo(StatusCode.LOGGED_OUT);
    assertThat(phone.authenticated()).isFalse();
    assertThat(loginAnswer(user, PASSWORD)).isEqualTo(StatusCode.ACCOUNT_LOCKED);
    assertThat(loginAnswer(user, "not the password")).as("the lock is told only to the right password").isEqualTo(StatusCode.LOGIN_FAILED);
    assertThat(resumeAnswer(user, phone)).isEqualTo(StatusCode.TOKEN_REFUSED);
    assertThat(ok("find-user", user).out()).contains("LOCKED");
    assertThat(ok("lock", user).out()).as("locking again is harmless").contains("0 tokens revoked");

    assertThat(ok("unlock", user).out()).contains(user + " is unlocked: they can log in again.");

    assertThat(loginAnswer(user, PASSWORD)).isEqualTo(StatusCode.LOGIN_OK);
    assertThat(login(user).authenticated()).isTrue();
    assertThat(ok("find-user", user).out()).doesNotContain("LOCKED");
  }

  @Test
  void devices_are_listed_and_one_is_revoked_while_the_other_stays() throws Exception {
    String user = clients.signedUpUser("devices");
    Device laptop = login(user);
    Device phone = login(user);

    Run listed = ok("devices", user);
    assertThat(listed.out()).contains(user + " has 2 devices").contains(laptop.id().toString()).contains(phone.id().toString());

    Run revoked = ok("revoke-device", user, phone.id().toString());

    assertThat(revoked.out()).contains("Device " + phone.id() + " of " + user + " is revoked: 1 token revoked");
    assertThat(phone.nextPushedStatus()).isEqualTo(StatusCode.LOGGED_OUT);
    assertThat(resumeAnswer(user, phone)).isEqualTo(StatusCode.TOKEN_REFUSED);
    assertThat(laptop.authenticated()).isTrue();
    JsonArray devices = ok("--json", "devices", user).json().getJsonArray("devices");
    assertThat(devices.stream().map(d -> (JsonObject) d).filter(d -> d.getString("device").equals(phone.id().toString())))
        .singleElement().satisfies(d -> assertThat(d.getLong("live_tokens")).isZero());

    Run unknown = admin("revoke-device", user, UUID.randomUUID().toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 404").contains("no such device");
    assertThat(admin("devices", "no_such_user_here").err()).contains("HTTP 404").contains("no such user");
  }

  @Test
  void end_sessions_logs_out_every_device_of_the_account() throws Exception {
    String user = clients.signedUpUser("endall");
    Device laptop = login(user);
    Device phone = login(user);

    assertThat(ok("end-sessions", user).out()).contains("Every session of " + user + " is ended: 2 tokens revoked");

    assertThat(laptop.nextPushedStatus()).isEqualTo(StatusCode.LOGGED_OUT);
    assertThat(phone.nextPushedStatus()).isEqualTo(StatusCode.LOGGED_OUT);
    assertThat(resumeAnswer(user, laptop)).isEqualTo(StatusCode.TOKEN_REFUSED);
    assertThat(loginAnswer(user, PASSWORD)).as("ending sessions is not a lock").isEqualTo(StatusCode.LOGIN_OK);
  }

  @Test
  void connections_counts_this_gateways_clients() throws Exception {
    String user = clients.signedUpUser("counted");
    Device one = login(user);
    Device two = login(user);
    ParleyConnection anonymous = clients.connect(UUID.randomUUID());

    JsonObject census = ok("--json", "connections").json();

    assertThat(census.getInteger("members")).isEqualTo(1);
    assertThat(census.getInteger("answered")).isEqualTo(1);
    JsonObject gateway = census.getJsonArray("gateways").getJsonObject(0);
    assertThat(gateway.getInteger("connections")).isGreaterThanOrEqualTo(3);
    assertThat(gateway.getInteger("authenticated")).isGreaterThanOrEqualTo(2).isLessThan(gateway.getInteger("connections"));
    assertThat(ok("connections").out()).startsWith("gateway " + gateway.getString("node") + ": ");
    await(anonymous.close());
    await(one.connection().close());
    await(two.connection().close());
  }

  @Test
  void rooms_lists_sizes_and_export_holds_a_persons_profile_devices_and_rooms() throws Exception {
    String owner = clients.signedUpUser("exported");
    String second = clients.signedUpUser("second");
    String third = clients.signedUpUser("third");
    Device device = login(owner);
    String roomName = "admin-sized-" + UUID.randomUUID().toString().substring(0, 8);
    UUID room = await(new Rooms(device.connection()).createRoom(RoomType.GROUP, roomName, List.of(second, third)));

    JsonArray rooms = ok("--json", "rooms", "1000").json().getJsonArray("rooms");
    assertThat(rooms.stream().map(r -> (JsonObject) r).filter(r -> r.getString("room").equals(room.toString())))
        .singleElement().satisfies(r -> assertThat(r.getLong("members")).isEqualTo(3));
    assertThat(ok("rooms", "1000").out()).contains(room + "  group \"" + roomName + "\"  3 members");

    JsonObject export = ok("export", owner).json();

    assertThat(export.getJsonObject("profile").getString("user")).isEqualTo(owner);
    assertThat(export.getJsonObject("profile").getString("email")).isEqualTo(owner + "@example.org");
    assertThat(export.getJsonObject("profile").getString("dob")).isEqualTo("1990-01-01");
    assertThat(export.getJsonObject("profile").containsKey("password_hash")).isFalse();
    assertThat(export.getJsonArray("devices").getJsonObject(0).getString("device")).isEqualTo(device.id().toString());
    assertThat(export.getJsonArray("devices").getJsonObject(0).getString("chat_pubkey")).startsWith("-----BEGIN PUBLIC KEY-----");
    JsonObject inRoom = export.getJsonArray("rooms").getJsonObject(0);
    assertThat(inRoom.getString("room")).isEqualTo(room.toString());
    assertThat(inRoom.getString("role")).isEqualTo("owner");
    assertThat(inRoom.getLong("members")).isEqualTo(3);
  }

  @Test
  void a_request_without_the_key_with_a_wrong_key_or_replayed_is_refused_and_changes_nothing() throws Exception {
    String user = clients.signedUpUser("guarded");
    Device phone = login(user);
    String lockPath = AdminEndpoint.PREFIX + "lock";
    byte[] body = new JsonObject().put("user", user).encode().getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> unsigned = post(lockPath, body, Map.of());
    Run wrongKey = adminWith(wrongKeyFile, "lock", user);
    String challenge = new JsonObject(post(AdminEndpoint.CHALLENGE_PATH, new byte[0], Map.of()).body()).getString("challenge");
    HttpResponse<String> otherChallenge = post(lockPath, body, Map.of(
        AdminSignature.CHALLENGE_HEADER, "made-up-challenge",
        AdminSignature.SIGNATURE_HEADER, AdminSignature.load(keyFile).sign("POST", lockPath, "made-up-challenge", body)));

    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(wrongKey.code()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("HTTP 401");
    assertThat(otherChallenge.statusCode()).isEqualTo(401);
    assertThat(phone.authenticated()).isTrue();
    assertThat(phone.pushed()).isEmpty();
    assertThat(loginAnswer(user, PASSWORD)).isEqualTo(StatusCode.LOGIN_OK);

    // A signed request seen on the wire works once; sent again after an unlock, it is refused.
    Map<String, String> signed = Map.of(
        AdminSignature.CHALLENGE_HEADER, challenge,
        AdminSignature.SIGNATURE_HEADER, AdminSignature.load(keyFile).sign("POST", lockPath, challenge, body));
    assertThat(post(lockPath, body, signed).statusCode()).isEqualTo(200);
    ok("unlock", user);
    assertThat(post(lockPath, body, signed).statusCode()).isEqualTo(401);
    assertThat(loginAnswer(user, PASSWORD)).isEqualTo(StatusCode.LOGIN_OK);

    // A signature is over the body too: the same challenge and signature cannot lock someone else.
    String other = clients.signedUpUser("bystander");
    String fresh = new JsonObject(post(AdminEndpoint.CHALLENGE_PATH, new byte[0], Map.of()).body()).getString("challenge");
    byte[] otherBody = new JsonObject().put("user", other).encode().getBytes(StandardCharsets.UTF_8);
    assertThat(post(lockPath, otherBody, Map.of(
        AdminSignature.CHALLENGE_HEADER, fresh,
        AdminSignature.SIGNATURE_HEADER, AdminSignature.load(keyFile).sign("POST", lockPath, fresh, body))).statusCode()).isEqualTo(401);
    assertThat(loginAnswer(other, PASSWORD)).isEqualTo(StatusCode.LOGIN_OK);
  }

  @Test
  void a_signed_request_with_a_malformed_argument_is_refused_naming_the_field() throws Exception {
    assertThat(signedPost("lock", new JsonObject().put("user", 42)).statusCode()).isEqualTo(400);
    assertThat(signedPost("revoke-device", new JsonObject().put("user", "ada").put("device", "not-a-uuid")).body()).contains("device:");
    assertThat(signedPost("rooms", new JsonObject().put("limit", 0)).body()).contains("limit:");
    assertThat(signedPost("shutdown", new JsonObject()).statusCode()).isEqualTo(404);
  }

  /** A correctly signed request, as the tool sends it, with any body. */
  static HttpResponse<String> signedPost(String command, JsonObject args) throws Exception {
    String path = AdminEndpoint.PREFIX + command;
    byte[] body = args.encode().getBytes(StandardCharsets.UTF_8);
    String challenge = new JsonObject(post(AdminEndpoint.CHALLENGE_PATH, new byte[0], Map.of()).body()).getString("challenge");
    return post(path, body, Map.of(
        AdminSignature.CHALLENGE_HEADER, challenge,
        AdminSignature.SIGNATURE_HEADER, AdminSignature.load(keyFile).sign("POST", path, challenge, body)));
  }

  static HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.httpPort() + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
