package io.parley.standalone.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.CaptchaSolver;
import io.parley.client.e2e.ChatEvent;
import io.parley.client.e2e.ParleyChat;
import io.parley.client.e2e.RoomSummary;
import io.parley.shared.config.ConfigKey;
import io.parley.standalone.Standalone;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Parley Web in a real headless Chromium against a real standalone server: the page is served by the
 * gateway on its WebSocket port, speaks the handshake and records of docs/protocol.md and seals
 * messages as docs/e2e.md says. Two browsers (one profile, so one device, each) are started once for
 * the class and signed up through the page; the tests then chat between them, with the Java SDK, and
 * across a reload. Every assertion waits for what the page shows.
 */
class WebClientTest {
  static final String PASSWORD = "correct horse battery staple";
  /** Where the screenshots of docs/web.md are written; copied to docs/web/ by hand. */
  static final Path SCREENSHOTS = Path.of("target", "web-screenshots");

  static Standalone parley;
  static Browser alice;
  static Browser bob;
  static String aliceName;
  static String bobName;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireChromium();
    parley = Standalone.start(
        TestInfra.config(WebClientTest.class.getSimpleName())
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.POW_DIFFICULTY_BITS, 12)
            .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000));
    url = "http://127.0.0.1:" + parley.wsPort() + "/";
    alice = Browser.start("alice");
    bob = Browser.start("bob");
    String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
    aliceName = "alice_" + suffix;
    bobName = "bob_" + suffix;
    signUp(alice, aliceName, true);
    signUp(bob, bobName, false);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {alice, bob, parley}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  /** Through the page: the fingerprint on first contact, the form, the proof of work, then the room list. */
  static void signUp(Browser browser, String user, boolean screenshot) throws Exception {
    browser.open(url);
    browser.waitForText("first-contact-fingerprint", parley.fingerprint().substring(0, 4));
    fillSignUp(browser, user);
    if (screenshot) {
      browser.screenshot(SCREENSHOTS.resolve("sign-up.png"));
    }
    browser.click("signup-submit");
    browser.waitForText("me", "signed in as " + user);
  }

  static void fillSignUp(Browser browser, String user) {
    browser.type("signup-user", user);
    browser.type("signup-email", user + "@example.org");
    browser.type("signup-fullname", "Test " + user);
    browser.setValue("signup-dob", "1990-01-01");
    browser.type("signup-password", PASSWORD);
    browser.click("signup-remember");
  }

  static void openDirectRoom(Browser browser, String other) {
    createRoom(browser, 0, "", other);
    browser.waitForText("room-title", other);
  }

  static void createRoom(Browser browser, int type, String name, String people) {
    browser.byId("room-type").findElement(By.cssSelector("option[value='" + type + "']")).click();
    browser.type("room-name", name);
    browser.type("room-people", people);
    browser.click("create-room");
  }

  static void send(Browser browser, String text) {
    browser.type("message-input", text);
    browser.click("send");
    browser.message(text);
  }

  static void openRoom(Browser browser, String name) {
    browser.click(By.cssSelector("li.room[data-name='" + name + "']"));
    browser.waitForText("room-title", name);
  }

  @Test
  void the_gateway_serves_the_page_with_strict_headers_on_its_websocket_port() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
        .contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>").doesNotContain("<script>");

    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(url + "../../etc/passwd")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(
        HttpRequest.newBuilder(URI.create(url + "app.js")).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  /**
   * The page's own channel code, run in the browser on the fixed inputs of docs/protocol.md §6,
   * reproduces the vectors the Java and Node implementations agree on, byte for byte.
   */
  @Test
  void the_pages_secure_channel_reproduces_the_protocol_test_vectors() throws Exception {
    String vectors;
    try (InputStream in = WebClientTest.class.getResourceAsStream("/vectors/handshake-v1.json")) {
      vectors = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    JsonObject v = new JsonObject(vectors);
    @SuppressWarnings("unchecked")
    Map<String, Object> got = (Map<String, Object>) alice.asyncScript(
        """
        const done = arguments[arguments.length - 1];
        const v = JSON.parse(arguments[0]);
        (async () => {
          const ch = await import('/channel.js');
          const b = await import('/bytes.js');
          const f1 = ch.connInit(v.inputs.device_uuid, b.fromHex(v.inputs.client_nonce));
          const f2 = b.utf8(v.frames.conn_encrypt_s);
          const hello = await ch.readServerHello(f1, f2);
          const pkcs8 = b.concat(b.fromHex('302e020100300506032b656e04220420'), b.fromHex(v.inputs.client_ephemeral_private));
          const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, true, ['deriveBits']);
          const jwk = await crypto.subtle.exportKey('jwk', privateKey);
          const publicKey = await crypto.subtle.importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, { name: 'X25519' }, true, []);
          const keys = await ch.finishHandshake(f1, f2, hello.ephemeral, { privateKey, publicKey });
          const connOk = b.fromUtf8(await keys.receive.open(b.fromHex(v.records[0].record)));
          const c2s0 = b.toHex(await keys.send.seal(b.utf8(v.records[1].plaintext)));
          return { f1: b.fromUtf8(f1), fingerprint: hello.fingerprint, f3: b.fromUtf8(keys.f3), th: b.toHex(keys.transcriptHash),
                   c2s_key: b.toHex(keys.secrets.c2sKey), s2c_iv: b.toHex(keys.secrets.s2cIv), conn_ok: connOk, c2s0 };
        })().then(done, (e) => done({ error: String(e) }));
        """, vectors);
    assertThat(got.get("error")).isNull();
    assertThat(got.get("f1")).isEqualTo(v.getJsonObject("frames").getString("conn_init"));
    assertThat(got.get("fingerprint")).isEqualTo(v.getJsonObject("derived_public_keys").getString("server_identity_fingerprint"));
    assertThat(got.get("f3")).isEqualTo(v.getJsonObject("frames").getString("conn_encrypt_c"));
    assertThat(got.get("th")).isEqualTo(v.getJsonObject("key_schedule").getString("transcript_hash"));
    assertThat(got.get("c2s_key")).isEqualTo(v.getJsonObject("key_schedule").getString("c2s_key"));
    assertThat(got.get("s2c_iv")).isEqualTo(v.getJsonObject("key_schedule").getString("s2c_iv"));
    assertThat(got.get("conn_ok")).isEqualTo(v.getJsonArray("records").getJsonObject(0).getString("plaintext"));
    assertThat(got.get("c2s0")).isEqualTo(v.getJsonArray("records").getJsonObject(1).getString("record"));
  }

  @Test
  void the_device_key_is_a_non_extractable_crypto_key_kept_in_indexeddb() {
    @SuppressWarnings("unchecked")
    Map<String, Object> device = (Map<String, Object>) bob.asyncScript(
        """
        const done = arguments[arguments.length - 1];
        (async () => {
          const { loadDevice } = await import('/store.js');
          const device = await loadDevice();
          let exported = 'refused';
          try {
            await crypto.subtle.exportKey('pkcs8', device.keyPair.privateKey);
            exported = 'exported';
          } catch (e) {
            exported = e.name;
          }
          return { id: device.id, extractable: device.keyPair.privateKey.extractable, type: device.keyPair.privateKey.type,
                   algorithm: device.keyPair.privateKey.algorithm.name, exported };
        })().then(done, (e) => done({ error: String(e) }));
        """);
    assertThat(device.get("error")).isNull();
    assertThat(device.get("algorithm")).isEqualTo("X25519");
    assertThat(device.get("type")).isEqualTo("private");
    assertThat(device.get("extractable")).isEqualTo(false);
    assertThat(device.get("exported")).isEqualTo("InvalidAccessError");
  }

  @Test
  void two_browsers_open_a_direct_room_and_chat_both_ways_with_edit_delete_and_pin() throws Exception {
    openDirectRoom(alice, bobName);
    send(alice, "hello bob, this is sealed in a browser");
    openRoom(bob, aliceName);
    bob.message("hello bob, this is sealed in a browser");
    send(bob, "hi alice, opened with WebCrypto");
    alice.message("hi alice, opened with WebCrypto");

    WebElement mine = alice.message("hello bob, this is sealed in a browser");
    mine.findElement(By.cssSelector("button.edit")).click();
    alice.type("message-input", "hello bob, edited");
    alice.click("send");
    bob.message("hello bob, edited");
    alice.message("hello bob, edited");

    send(alice, "this one will be deleted");
    bob.message("this one will be deleted");
    alice.message("this one will be deleted").findElement(By.cssSelector("button.delete")).click();
    bob.waitUntil("the deleted message is shown as deleted",
        d -> !d.findElements(By.xpath("//li[contains(@class,'deleted')]/span[@class='text' and .='message deleted']")).isEmpty()
            && d.findElements(Browser.messageLocator("this one will be deleted")).isEmpty());

    bob.message("hello bob, edited").findElement(By.cssSelector("button.pin")).click();
    alice.waitUntil("the pinned message is marked", d -> alice.message("hello bob, edited").getText().contains("pinned by " + bobName));
    alice.screenshot(SCREENSHOTS.resolve("conversation.png"));
  }

  @Test
  void a_group_shows_members_roles_and_read_receipts_and_a_channel_is_read_only_for_its_members() throws Exception {
    String group = "Book club " + aliceName;
    createRoom(alice, 1, group, bobName);
    alice.waitForText("room-title", group);
    alice.waitForText("room-members", bobName + " (member)");
    send(alice, "welcome to the group");

    openRoom(bob, group);
    bob.message("welcome to the group");
    alice.waitUntil("bob's read receipt is shown", d -> alice.message("welcome to the group").getText().contains("read by " + bobName));

    alice.click(By.cssSelector("#room-members li[data-user='" + bobName + "'] button.promote"));
    alice.waitForText("room-members", bobName + " (admin)");
    bob.waitForText("room-members", bobName + " (admin)");
    bob.waitUntil("the promotion is in the room's log", d -> bob.messages().contains(aliceName + " made " + bobName + " admin"));

    String channel = "News " + aliceName;
    createRoom(alice, 2, channel, bobName);
    alice.waitForText("room-title", channel);
    send(alice, "only owners and admins post here");
    openRoom(bob, channel);
    bob.message("only owners and admins post here");
    bob.waitForText("read-only", "Only the owners and admins");
    assertThat(bob.driver.findElement(By.id("composer")).isDisplayed()).isFalse();
  }

  @Test
  void a_browser_that_was_away_shows_unread_counts_and_catches_up_after_reloading() throws Exception {
    openDirectRoom(alice, bobName);
    bob.open("about:blank");
    send(alice, "sent while bob was away 1");
    send(alice, "sent while bob was away 2");
    bob.open(url);
    // Remembered: the page resumes with AUTH_TOKEN, no password asked.
    bob.waitForText("me", "signed in as " + bobName);
    bob.waitUntil("the room list counts two unread messages",
        d -> d.findElement(By.cssSelector("li.room[data-name='" + aliceName + "'] .unread")).getText().equals("2"));
    bob.screenshot(SCREENSHOTS.resolve("room-list.png"));
    openRoom(bob, aliceName);
    bob.message("sent while bob was away 1");
    bob.message("sent while bob was away 2");
  }

  @Test
  void a_browser_that_lost_its_connection_reconnects_catches_up_and_sends_what_was_typed_offline() throws Exception {
    openDirectRoom(alice, bobName);
    bob.recordWebSockets();
    bob.open(url);
    bob.waitForText("me", "signed in as " + bobName);
    openRoom(bob, aliceName);
    bob.goOffline();
    bob.waitForText("connection-state", "offline");
    send(alice, "sent while bob's network was down");
    bob.type("message-input", "typed while offline");
    bob.click("send");
    bob.waitUntil("the offline message waits in the outbox",
        d -> bob.message("typed while offline").getText().contains("waiting for the connection"));
    bob.goOnline();
    bob.waitForText("connection-state", "connected");
    bob.message("sent while bob's network was down");
    alice.message("typed while offline");
    bob.waitUntil("the outbox is empty", d -> !bob.message("typed while offline").getText().contains("waiting"));
  }

  @Test
  void a_browser_and_the_java_sdk_exchange_messages_both_ways() throws Exception {
    Vertx vertx = Vertx.vertx();
    Path home = Files.createTempDirectory("parley-web-sdk-");
    String carol = "carol_" + Long.toString(System.nanoTime() % 1_000_000, 36);
    BlockingQueue<ChatEvent> events = new LinkedBlockingQueue<>();
    ParleyChat chat = ParleyChat.open(vertx, ParleyChat.Options.tcp("127.0.0.1", parley.tcpPort(), home).withPinnedFingerprint(parley.fingerprint()))
        .onEvent(events::add);
    try {
      await(chat.connect());
      CaptchaSolver noImages = png -> Future.failedFuture(new AssertionError("expected proof of work"));
      await(chat.signup(carol, carol + "@example.org", "Carol", LocalDate.of(1990, 1, 1), PASSWORD, noImages));
      await(chat.login(carol, PASSWORD, true));
      UUID room = await(chat.createDirect(aliceName));
      // More than the page's first page of 50 events, so the oldest come only with scrollback.
      for (int i = 1; i <= 52; i++) {
        await(chat.send(room, "older " + i));
      }
      await(chat.send(room, "from the Java SDK to a browser"));

      alice.waitUntil("the room with the SDK user is listed", d -> !d.findElements(By.cssSelector("li.room[data-name='" + carol + "']")).isEmpty());
      openRoom(alice, carol);
      WebElement fromSdk = alice.message("from the Java SDK to a browser");
      assertThat(fromSdk.getAttribute("data-state")).isEqualTo("ok");
      assertThat(alice.driver.findElements(Browser.messageLocator("older 1"))).isEmpty();
      alice.click("load-older");
      assertThat(alice.message("older 1").getAttribute("data-state")).isEqualTo("ok");
      alice.waitUntil("the whole history is loaded", d -> !d.findElement(By.id("load-older")).isDisplayed());

      send(alice, "from a browser to the Java SDK");
      ChatEvent received = nextMessage(events, "from a browser to the Java SDK");
      assertThat(received.sender()).isEqualTo(aliceName);
      assertThat(await(chat.rooms()).stream().map(RoomSummary::room)).contains(room);
    } finally {
      await(chat.close());
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_changed_server_identity_is_refused_with_a_warning_until_the_person_accepts_it() throws Exception {
    String real = parley.fingerprint();
    String other = "00".repeat(32);
    // What a browser that met another server at this address would hold: the page must not connect.
    alice.script("localStorage.setItem('parley.server-fingerprint', arguments[0]);", other);
    alice.open(url);
    alice.waitForText("identity-warning", "this server's identity changed");
    assertThat(alice.textOf("identity-expected")).startsWith("0000 0000");
    assertThat(alice.textOf("identity-received").replace(" ", "")).isEqualTo(real);
    assertThat(alice.textOf("connection-state")).contains("identity changed");
    alice.screenshot(SCREENSHOTS.resolve("identity-warning.png"));

    alice.click("trust-new-identity");
    alice.waitForText("me", "signed in as " + aliceName);
    assertThat(alice.script("return localStorage.getItem('parley.server-fingerprint');")).isEqualTo(real);
  }

  static ChatEvent nextMessage(BlockingQueue<ChatEvent> events, String text) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      ChatEvent event = events.poll(30, TimeUnit.SECONDS);
      if (event == null) {
        break;
      }
      if (event.text().filter(text::equals).isPresent()) {
        return event;
      }
    }
    throw new AssertionError("the SDK never received '" + text + "'");
  }

  static <T> T await(Future<T> future) throws Exception {
    return ParleyChat.await(future, 30_000);
  }
}
