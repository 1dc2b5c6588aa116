package io.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules in k8s/monitoring name only metrics a running
 * server exports (a renamed meter would otherwise leave an empty panel or an alert that never fires),
 * and the dashboard is a dashboard Grafana can import. Standalone runs every service and its own
 * embedded servers, so its /metrics holds every meter of every process kind.
 */
class MonitoringTest {
  private static final Path MONITORING = Path.of("..", "k8s", "monitoring");
  /** Metric names as they appear in PromQL: Parley's, Vert.x's and Micrometer's JVM and process binders. */
  private static final Pattern METRIC = Pattern.compile("\\b(?:parley|vertx|jvm|process|system)_[A-Za-z0-9_]+\\b");
  private static final Set<String> PANEL_TYPES = Set.of("row", "timeseries", "stat", "gauge", "bargauge", "table", "heatmap");

  private static Standalone parley;
  private static Set<String> exported;

  @BeforeAll
  static void start() throws Exception {
    Path home = Files.createTempDirectory("parley-monitoring");
    parley = Standalone.start(ParleyConfig.defaults()
        .with(ConfigKey.BIND_HOST, "127.0.0.1")
        .with(ConfigKey.TCP_PORT, 0)
        .with(ConfigKey.WS_PORT, 0)
        .with(ConfigKey.HTTP_PORT, 0)
        .with(ConfigKey.DATA_DIR, home.resolve("data"))
        .with(ConfigKey.IDENTITY_KEY_FILE, home.resolve("identity.pem"))
        .with(ConfigKey.TOKEN_KEY_FILE, home.resolve("token-key.pem")));
    exported = afterAGcPause();
  }

  /**
   * The metric names once the JVM has recorded a GC pause: Micrometer creates {@code jvm_gc_pause}
   * at the first GC notification, and a server that has not collected yet (a quiet start, a large
   * young generation) would not export it. A bounded poll, since the notification arrives on its own
   * thread.
   */
  private static Set<String> afterAGcPause() throws Exception {
    Set<String> names = namesIn(scrape());
    for (int attempt = 0; attempt < 100 && !names.contains("jvm_gc_pause_seconds_count"); attempt++) {
      System.gc();
      Thread.sleep(50);
      names = namesIn(scrape());
    }
    return names;
  }

  @AfterAll
  static void stop() throws Exception {
    if (parley != null) {
      parley.close();
    }
  }

  @Test
  void every_metric_the_dashboard_and_the_alerts_name_is_exported() throws Exception {
    List<String> expressions = new ArrayList<>(dashboardExpressions());
    expressions.add(Files.readString(MONITORING.resolve("parley-alerts.yaml")));
    Set<String> named = new TreeSet<>();
    for (String expression : expressions) {
      Matcher metric = METRIC.matcher(expression);
      while (metric.find()) {
        named.add(metric.group());
      }
    }
    assertThat(named).as("metrics named in k8s/monitoring").hasSizeGreaterThan(20);
    assertThat(exported).as("/metrics of a running server").containsAll(named);
  }

  @Test
  void the_latency_meters_have_histogram_buckets() {
    assertThat(exported).contains(
        "parley_bus_request_seconds_bucket",
        "parley_message_commit_seconds_bucket",
        "parley_message_push_seconds_bucket",
        "parley_group_commit_batch_events_bucket",
        "vertx_sql_processing_time_seconds_bucket",
        "vertx_redis_processing_time_seconds_bucket");
  }

  @Test
  void the_dashboard_is_a_grafana_dashboard() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(MONITORING.resolve("parley-dashboard.json")));
    assertThat(dashboard.getString("title")).isNotBlank();
    assertThat(dashboard.getString("uid")).matches("[A-Za-z0-9_-]{1,40}");
    assertThat(dashboard.getInteger("schemaVersion")).isGreaterThanOrEqualTo(36);
    assertThat(dashboard.getJsonObject("time").fieldNames()).contains("from", "to");
    JsonArray variables = dashboard.getJsonObject("templating").getJsonArray("list");
    assertThat(variables.stream().map(v -> ((JsonObject) v).getString("name"))).contains("datasource");
    Set<Integer> ids = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (Object item : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) item;
      String name = panel.getString("title");
      if (!ids.add(panel.getInteger("id"))) {
        problems.add(name + ": duplicate id " + panel.getInteger("id"));
      }
      if (!PANEL_TYPES.contains(panel.getString("type"))) {
        problems.add(name + ": unknown panel type " + panel.getString("type"));
      }
      JsonObject grid = panel.getJsonObject("gridPos");
      if (grid == null || grid.getInteger("x") < 0 || grid.getInteger("y") < 0 || grid.getInteger("h") < 1
          || grid.getInteger("w") < 1 || grid.getInteger("x") + grid.getInteger("w") > 24) {
        problems.add(name + ": gridPos must fit Grafana's 24 columns, got " + grid);
      }
      if (!panel.getString("type").equals("row")) {
        JsonArray targets = panel.getJsonArray("targets", new JsonArray());
        if (targets.isEmpty()) {
          problems.add(name + ": no query");
        }
        for (Object target : targets) {
          JsonObject query = (JsonObject) target;
          if (query.getString("refId", "").isEmpty() || query.getString("expr", "").isBlank()) {
            problems.add(name + ": a target needs a refId and an expr, got " + query);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static List<String> dashboardExpressions() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(MONITORING.resolve("parley-dashboard.json")));
    List<String> expressions = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets", new JsonArray())) {
        expressions.add(((JsonObject) target).getString("expr"));
      }
    }
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      expressions.add(String.valueOf(((JsonObject) variable).getValue("definition", "")));
    }
    return expressions;
  }

  private static String scrape() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.httpPort() + "/metrics"))
        .timeout(Duration.ofSeconds(30)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static Set<String> namesIn(String scrape) {
    Set<String> names = new HashSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }
}
