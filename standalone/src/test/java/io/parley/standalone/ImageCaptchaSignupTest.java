package io.parley.standalone;

import static io.parley.standalone.TestClients.PASSWORD;
import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.newUsername;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Accounts;
import io.parley.client.CaptchaSolver;
import io.parley.client.ParleyConnection;
import io.parley.shared.config.ConfigKey;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A server configured for image captchas: the SDK hands the PNG to the caller. Here the "person"
 * reading it is the test, which looks the answer up in Redis where the server keeps it.
 */
class ImageCaptchaSignupTest {
  static Standalone parley;
  static Redis redisClient;
  static RedisAPI redis;

  @BeforeAll
  static void start() throws Exception {
    parley =
        Standalone.start(
            TestInfra.config(ImageCaptchaSignupTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.CAPTCHA_KIND, "image"));
    redisClient = Redis.createClient(parley.vertx(), parley.config().get(ConfigKey.REDIS_URL));
    redis = RedisAPI.api(redisClient);
  }

  @AfterAll
  static void stop() throws Exception {
    redisClient.close();
    parley.close();
  }

  @Test
  void a_new_user_signs_up_by_reading_an_image_captcha_and_logs_in() throws Exception {
    String user = newUsername("painter");
    AtomicReference<BufferedImage> shown = new AtomicReference<>();
    CaptchaSolver person =
        png -> {
          try {
            shown.set(ImageIO.read(new ByteArrayInputStream(png)));
          } catch (java.io.IOException e) {
            return Future.failedFuture(e);
          }
          return answerStoredFor(user).map(String::toLowerCase); // case does not matter
        };
    TestClients clients = new TestClients(parley);
    ParleyConnection connection = clients.connect();

    await(new Accounts(connection).signup(user, user + "@example.org", "Painter", LocalDate.of(1985, 5, 5), PASSWORD, person));
    String token = await(new Accounts(connection).login(user, PASSWORD, false, TestClients.chatKey()));

    assertThat(shown.get()).isNotNull();
    assertThat(shown.get().getWidth()).isGreaterThan(50);
    assertThat(token).isNotBlank();
    await(connection.close());
  }

  /** Non-blocking: the SDK calls the solver on an event loop. */
  static Future<String> answerStoredFor(String user) {
    return redis.keys("parley:captcha:*").compose(keys -> {
      java.util.List<Future<Response>> values = new java.util.ArrayList<>();
      for (Response key : keys) {
        values.add(redis.get(key.toString()));
      }
      return Future.all(values).compose(all -> {
        for (Future<Response> value : values) {
          Response stored = value.result();
          if (stored != null && stored.toString().contains("\"" + user + "\"")) {
            return Future.succeededFuture(new JsonObject(stored.toString()).getJsonObject("captcha").getString("answer"));
          }
        }
        return Future.failedFuture(new AssertionError("no pending captcha for " + user));
      });
    });
  }
}
