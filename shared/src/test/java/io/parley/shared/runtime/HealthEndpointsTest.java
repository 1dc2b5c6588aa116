package io.parley.shared.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Dependencies;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /health/ready from state kept in the background: a required dependency down makes the process
 * unready, any other only degraded (issue 17: one Redis outage must not take every gateway out).
 */
class HealthEndpointsTest {
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  ParleyRuntime runtime;
  Readiness readiness;
  int port;

  @BeforeEach
  void start() throws Exception {
    ParleyConfig config = ParleyConfig.defaults().with(ConfigKey.HTTP_PORT, 0).with(ConfigKey.BIND_HOST, "127.0.0.1");
    runtime = ParleyRuntime.start(config, false).toCompletionStage().toCompletableFuture().get();
    readiness = Readiness.requiring(runtime, Set.of(Dependencies.POSTGRES));
    port = OpsServer.start(runtime, config, readiness).toCompletionStage().toCompletableFuture().get();
  }

  @AfterEach
  void stop() throws Exception {
    runtime.vertx().close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void redis_down_is_reported_as_degraded_and_the_process_stays_ready() throws Exception {
    Dependencies.of(runtime.vertx()).report(Dependencies.POSTGRES, null);
    Dependencies.of(runtime.vertx()).report(Dependencies.REDIS, new IllegalStateException("connection refused"));

    HttpResponse<String> ready = get("/health/ready");

    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getBoolean("ready")).isTrue();
    assertThat(body.getJsonArray("degraded").getList()).containsExactly(Dependencies.REDIS);
    assertThat(body.getString(Dependencies.REDIS)).isEqualTo("down");
  }

  @Test
  void a_required_dependency_down_makes_the_process_unready_and_says_which() throws Exception {
    Dependencies.of(runtime.vertx()).report(Dependencies.POSTGRES, new IllegalStateException("connection refused"));

    HttpResponse<String> ready = get("/health/ready");

    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(ready.body()).getString("reason")).isEqualTo("postgres down");
  }

  @Test
  void a_stopping_process_is_unready_at_once_and_still_live() throws Exception {
    readiness.stopping();

    HttpResponse<String> ready = get("/health/ready");

    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(ready.body()).getString("reason")).isEqualTo("stopping");
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("live\n");
  }

  @Test
  void without_an_admin_key_there_is_no_admin_endpoint() throws Exception {
    HttpResponse<String> challenge = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/challenge")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(challenge.statusCode()).isEqualTo(404);
  }

  HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
