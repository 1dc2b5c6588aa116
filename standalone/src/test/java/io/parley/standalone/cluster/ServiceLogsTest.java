package io.parley.standalone.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.service.ServiceLauncher;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each service jar logs: its main class in its own JVM, on a class path holding only that
 * service's module, shared and the libraries (so its own logback.xml is the one found, as in the
 * jar), started and stopped against the test's PostgreSQL and Redis.
 */
class ServiceLogsTest {
  /** Module directory → main class, for the four service jars. */
  private static final Map<String, String> SERVICES = new LinkedHashMap<>();

  static {
    SERVICES.put("auth-service", "io.parley.auth.AuthMain");
    SERVICES.put("room-service", "io.parley.room.RoomMain");
    SERVICES.put("message-service", "io.parley.message.MessageMain");
    SERVICES.put("gateway", "io.parley.gateway.GatewayMain");
  }

  private static ParleyConfig base;
  private static Path home;

  @BeforeAll
  static void keys() throws Exception {
    base = TestInfra.config(ServiceLogsTest.class.getSimpleName());
    TokenKeys.load(base.getPath(ConfigKey.TOKEN_KEY_FILE), true);
    home = Files.createTempDirectory("parley-service-logs");
  }

  @Test
  void every_service_jar_logs_at_info_by_default() throws Exception {
    Map<String, ServiceProcess> started = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> service : SERVICES.entrySet()) {
        started.put(service.getKey(), start(service.getKey(), Map.of()));
      }
      for (ServiceProcess process : started.values()) {
        process.awaitReady(180);
      }
    } finally {
      for (ServiceProcess process : started.values()) {
        process.close();
      }
    }
    for (Map.Entry<String, ServiceProcess> service : started.entrySet()) {
      List<String> lines = service.getValue().lines();
      assertThat(lines).as(service.getKey()).anyMatch(line -> line.contains(" INFO ") && line.contains("service started"));
      assertThat(lines).as(service.getKey()).noneMatch(line -> line.contains(" DEBUG ") || line.contains(" TRACE "));
    }
  }

  @Test
  void json_format_writes_one_object_per_line_at_the_levels_asked_for_per_package() throws Exception {
    ServiceProcess gateway = start("gateway", Map.of(
        ConfigKey.LOG_FORMAT.env(), "json",
        ConfigKey.LOG_LEVEL.env(), "warn,io.parley.gateway=debug"));
    try {
      gateway.awaitReady(180);
    } finally {
      gateway.close();
    }
    List<JsonObject> events = new ArrayList<>();
    for (String line : gateway.lines()) {
      if (!line.startsWith(ServiceLauncher.READY_MARKER)) {
        events.add(new JsonObject(line));
      }
    }
    assertThat(events).allSatisfy(event -> assertThat(event.fieldNames()).contains("timestamp", "level", "loggerName", "formattedMessage"));
    // The gateway's own DEBUG lines show; everyone else's INFO (the launcher's "service started") does not.
    assertThat(events).anyMatch(event -> event.getString("level").equals("DEBUG")
        && event.getString("loggerName").startsWith("io.parley.gateway."));
    assertThat(events).noneMatch(event -> event.getString("level").equals("INFO")
        && !event.getString("loggerName").startsWith("io.parley.gateway."));
  }

  private static ServiceProcess start(String module, Map<String, String> logging) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (ConfigKey key : ConfigKey.values()) {
      env.put(key.env(), base.get(key));
    }
    env.put(ConfigKey.BIND_HOST.env(), "127.0.0.1");
    env.put(ConfigKey.NODE_ID.env(), module + "-logs");
    env.put(ConfigKey.PASSWORD_THREADS.env(), "1");
    env.putAll(logging);
    String name = module + (logging.isEmpty() ? "" : "-configured");
    return ServiceProcess.start(name, SERVICES.get(module), classPathOf(module), env, home);
  }

  /**
   * This test's class path without the project's other modules and test classes (each brings a
   * logback.xml or logback-test.xml that would shadow the service's own), the service's module first.
   */
  private static String classPathOf(String module) {
    List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    String target = File.separator + "target" + File.separator;
    List<String> kept = new ArrayList<>();
    entries.stream().filter(entry -> mainOutputOf(entry, module)).forEach(kept::add);
    assertThat(kept).as("%s's classes on the test class path (run with -am)", module).hasSize(1);
    entries.stream().filter(entry -> mainOutputOf(entry, "shared") || !entry.contains(target)).forEach(kept::add);
    return kept.stream().collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Whether {@code entry} is {@code module}'s main output: its classes directory (a reactor run up to
   * {@code test}) or its jar (a run up to {@code verify}, where the reactor hands on packaged modules),
   * never its test classes or test jar.
   */
  private static boolean mainOutputOf(String entry, String module) {
    String dir = File.separator + module + File.separator + "target" + File.separator;
    int at = entry.lastIndexOf(dir);
    if (at < 0) {
      return false;
    }
    String rest = entry.substring(at + dir.length());
    return rest.equals("classes") || (rest.endsWith(".jar") && !rest.contains(File.separator) && !rest.endsWith("-tests.jar"));
  }
}
