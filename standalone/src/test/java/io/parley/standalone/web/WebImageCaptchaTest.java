package io.parley.standalone.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.standalone.Standalone;
import io.parley.testing.TestInfra;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server that asks for image captchas: the page shows the PNG as an image and sends what the person
 * types. The "person" here is the test, which reads the answer where the server keeps it (Redis).
 */
class WebImageCaptchaTest {
  static Standalone parley;
  static Browser browser;
  static Redis redis;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireChromium();
    parley = Standalone.start(
        TestInfra.config(WebImageCaptchaTest.class.getSimpleName())
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.CAPTCHA_KIND, "image"));
    redis = Redis.createClient(parley.vertx(), parley.config().get(ConfigKey.REDIS_URL));
    browser = Browser.start("painter");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {browser, redis::close, parley}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @Test
  void a_person_signs_up_by_reading_the_image_captcha_the_page_shows_then_logs_out_and_in_again() throws Exception {
    String user = "painter_" + Long.toString(System.nanoTime() % 1_000_000, 36);
    browser.open("http://127.0.0.1:" + parley.wsPort() + "/");
    browser.waitForText("connection-state", "connected");
    WebClientTest.fillSignUp(browser, user);
    browser.click("signup-submit");

    browser.byId("captcha-image");
    browser.waitUntil("the captcha image is decoded", d -> ((Number) browser.script("return document.getElementById('captcha-image').naturalWidth;")).intValue() > 50);
    browser.screenshot(WebClientTest.SCREENSHOTS.resolve("image-captcha.png"));
    browser.type("captcha-answer", answerStoredFor(user).toLowerCase(java.util.Locale.ROOT)); // case does not matter
    browser.click("captcha-submit");

    browser.waitForText("me", "signed in as " + user);
    assertThat(browser.textOf("captcha")).isEmpty();

    // LOGOUT forgets the session; the same browser (the same device) logs in again with the password.
    browser.click("logout");
    browser.byId("login-form");
    browser.type("login-id", user);
    browser.type("login-password", WebClientTest.PASSWORD);
    browser.click("login-submit");
    browser.waitForText("me", "signed in as " + user);
  }

  static String answerStoredFor(String user) throws Exception {
    RedisAPI api = RedisAPI.api(redis);
    for (Response key : api.keys("parley:captcha:*").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
      Response stored = api.get(key.toString()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (stored != null && stored.toString().contains("\"" + user + "\"")) {
        return new JsonObject(stored.toString()).getJsonObject("captcha").getString("answer");
      }
    }
    throw new AssertionError("no pending captcha for " + user);
  }
}
