package io.parley.client.admin;

import io.parley.shared.admin.AdminEndpoint;
import io.parley.shared.admin.AdminSignature;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * parley-admin's side of the admin endpoint: asks the process for a one-time challenge, signs the
 * command over it with the admin key and sends it. Two round trips per command, so that a captured
 * request is worth nothing (docs/security.md, "Administration").
 */
final class AdminClient {
  /** Longer than the census waits for a stuck process (3 s) and a service's bus timeout (10 s). */
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** What the endpoint answered: its HTTP status and JSON body. */
  record Answer(int status, JsonObject body) {
    boolean ok() {
      return status == 200;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final AdminSignature signature;

  AdminClient(URI base, AdminSignature signature) {
    this.base = base;
    this.signature = signature;
  }

  Answer run(String command, JsonObject args) throws IOException, InterruptedException {
    Answer challenge = post(AdminEndpoint.CHALLENGE_PATH, new byte[0], null, null);
    if (!challenge.ok()) {
      return challenge;
    }
    String fresh = challenge.body().getString("challenge");
    String path = AdminEndpoint.PREFIX + command;
    byte[] body = args.encode().getBytes(StandardCharsets.UTF_8);
    return post(path, body, fresh, signature.sign("POST", path, fresh, body));
  }

  private Answer post(String path, byte[] body, String challenge, String signed) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(TIMEOUT)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (challenge != null) {
      request.header(AdminSignature.CHALLENGE_HEADER, challenge).header(AdminSignature.SIGNATURE_HEADER, signed);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonObject json;
    try {
      json = new JsonObject(response.body());
    } catch (RuntimeException notJson) {
      json = new JsonObject().put("error", response.statusCode() == 404
          ? "no admin endpoint here: is PARLEY_ADMIN_KEY_FILE set on that process, and is this its PARLEY_HTTP_PORT?"
          : "the answer was not JSON");
    }
    return new Answer(response.statusCode(), json);
  }
}
