package io.parley.client.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool's own side: usage mistakes and an unreachable endpoint are told apart by exit status and words. */
class ParleyAdminTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new ParleyAdmin(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env)
        .run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void a_usage_mistake_exits_2_and_says_what_is_wrong() throws Exception {
    Path key = Files.writeString(dir.resolve("admin.key"), "0123456789abcdef0123456789abcdef-key");
    Map<String, String> env = Map.of("PARLEY_ADMIN_KEY_FILE", key.toString());

    assertThat(run(env).err()).contains("name a command");
    assertThat(run(env, "lock").err()).contains("usage: lock USER");
    assertThat(run(env, "revoke-device", "ada").err()).contains("usage: revoke-device USER DEVICE");
    assertThat(run(env, "rooms", "many").err()).contains("LIMIT is a number");
    assertThat(run(env, "shutdown").err()).contains("no command shutdown");
    assertThat(run(Map.of(), "lock", "ada").err()).contains("--key-file or PARLEY_ADMIN_KEY_FILE");
    Run shortKey = run(Map.of("PARLEY_ADMIN_KEY_FILE", Files.writeString(dir.resolve("short.key"), "short").toString()), "lock", "ada");
    assertThat(shortKey.code()).isEqualTo(2);
    assertThat(shortKey.err()).contains("openssl rand -base64 48");
    assertThat(run(env, "lock").code()).isEqualTo(2);
    assertThat(run(env, "--help").out()).contains("export USER");
  }

  @Test
  void an_endpoint_that_does_not_answer_exits_3() throws Exception {
    Path key = Files.writeString(dir.resolve("admin.key"), "0123456789abcdef0123456789abcdef-key");

    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    Run run = run(Map.of("PARLEY_ADMIN_KEY_FILE", key.toString(), "PARLEY_ADMIN_URL", "http://127.0.0.1:1"), "connections");

    assertThat(run.code()).isEqualTo(3);
    assertThat(run.err()).contains("cannot reach http://127.0.0.1:1");
  }

  @Test
  void connections_in_words_name_each_gateway_the_total_and_who_did_not_answer() {
    JsonObject census = new JsonObject().put("members", 4).put("answered", 3).put("gateways", new JsonArray()
        .add(new JsonObject().put("node", "gw-b").put("connections", 1).put("handshakes", 0).put("authenticated", 1).put("accounts", 1))
        .add(new JsonObject().put("node", "gw-a").put("connections", 5).put("handshakes", 2).put("authenticated", 3).put("accounts", 2)));

    assertThat(AdminText.render("connections", census)).isEqualTo(String.join("\n",
        "gateway gw-a: 5 connections (3 logged in, by 2 accounts; 2 still in the handshake)",
        "gateway gw-b: 1 connection (1 logged in, by 1 account; 0 still in the handshake)",
        "all gateways: 6 connections",
        "1 cluster process did not answer: the counts above leave them out."));
  }
}
