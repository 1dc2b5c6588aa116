package io.parley.standalone.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code parley-standalone.jar infra} (scripts/local-cluster.sh's first step): the embedded servers
 * alone, their URLs printed as assignments, both answering, and both gone when the process is stopped.
 */
class InfraCommandTest {

  @Test
  void infra_prints_urls_of_servers_that_answer_and_stop_with_it() throws Exception {
    Path home = Files.createTempDirectory("parley-infra");
    ServiceProcess infra = ServiceProcess.start("infra", "io.parley.standalone.StandaloneMain", System.getProperty("java.class.path"),
        Map.of(ConfigKey.DATA_DIR.env(), home.resolve("data").toString()), home, List.of("infra"));
    URI postgres;
    URI redis;
    try {
      infra.awaitReady(120);
      postgres = URI.create(value(infra.lines(), ConfigKey.PG_URL.env()));
      redis = URI.create(value(infra.lines(), ConfigKey.REDIS_URL.env()));
      assertThat(postgres.getHost()).isEqualTo("127.0.0.1");
      assertThat(redis.getHost()).isEqualTo("127.0.0.1");
      try (Connection db = DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + postgres.getPath(), "postgres", "");
          ResultSet one = db.createStatement().executeQuery("SELECT 1")) {
        assertThat(one.next()).isTrue();
      }
      assertThat(ping(redis.getPort())).isEqualTo("+PONG");
    } finally {
      infra.close();
    }
    assertThat(refuses(postgres.getPort())).as("PostgreSQL stopped with the infra process").isTrue();
    assertThat(refuses(redis.getPort())).as("Redis stopped with the infra process").isTrue();
  }

  private static String value(List<String> lines, String name) {
    return lines.stream().filter(line -> line.startsWith(name + "=")).map(line -> line.substring(name.length() + 1))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + "= line in " + lines));
  }

  private static String ping(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }

  /** The servers stop in the shutdown hook, before the process exits: nothing listens any more. */
  private static boolean refuses(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    }
  }
}
