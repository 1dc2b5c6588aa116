package io.parley.shared.admin;

import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusTimeouts;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/*} on the ops port, for parley-admin (docs/operations.md, "Administration"): off
 * unless PARLEY_ADMIN_KEY_FILE is set. {@code POST /admin/challenge} hands out a one-time challenge;
 * {@code POST /admin/<command>} with a JSON body runs the command when its
 * {@link AdminSignature} over that challenge is right, and is refused with 401 (nothing asked,
 * nothing changed) otherwise. Every command is logged with its outcome, never with the key or the
 * signature.
 */
public final class AdminEndpoint {
  private static final Logger log = LoggerFactory.getLogger(AdminEndpoint.class);

  public static final String PREFIX = "/admin/";
  public static final String CHALLENGE_PATH = PREFIX + "challenge";
  /** Every command's arguments fit in far less; a larger body is refused before it is read. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  private final AdminSignature signature;
  private final AdminChallenges challenges;
  private final AdminCommands commands;

  private AdminEndpoint(AdminSignature signature, AdminChallenges challenges, AdminCommands commands) {
    this.signature = signature;
    this.challenges = challenges;
    this.commands = commands;
  }

  /** Empty when no admin key is configured. A configured key that cannot be read stops the process. */
  public static Optional<AdminEndpoint> create(Vertx vertx, ParleyConfig config) {
    if (config.optional(ConfigKey.ADMIN_KEY_FILE).isEmpty()) {
      return Optional.empty();
    }
    try {
      AdminSignature signature = AdminSignature.load(config.getPath(ConfigKey.ADMIN_KEY_FILE));
      return Optional.of(new AdminEndpoint(
          signature, new AdminChallenges(System::currentTimeMillis), new AdminCommands(vertx, new BusClient(vertx, BusTimeouts.from(config)))));
    } catch (IOException e) {
      throw new IllegalStateException("PARLEY_ADMIN_KEY_FILE cannot be read: " + e.getMessage(), e);
    }
  }

  public void serve(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST) {
      respond(request, 405, error("use POST"));
      return;
    }
    if (declaredLength(request) > MAX_BODY_BYTES) {
      respond(request, 413, error("the body is over " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        request.connection().close();
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(ended -> {
      if (!request.response().ended() && body.length() <= MAX_BODY_BYTES) {
        serve(request, body.getBytes());
      }
    });
  }

  /** The content-length header; 0 when absent, past the limit when it is not a small number. */
  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length == null) {
      return 0;
    }
    return length.length() <= 9 && length.chars().allMatch(Character::isDigit) ? Long.parseLong(length) : Long.MAX_VALUE;
  }

  private void serve(HttpServerRequest request, byte[] body) {
    String path = request.path();
    if (path.equals(CHALLENGE_PATH)) {
      respond(request, 200, new JsonObject().put("challenge", challenges.issue()).put("expires_in_ms", AdminChallenges.LIFETIME_MS));
      return;
    }
    String command = path.substring(PREFIX.length());
    String challenge = request.getHeader(AdminSignature.CHALLENGE_HEADER);
    // Spent before the signature is checked: a challenge is good for one attempt, right or wrong.
    boolean fresh = challenges.spend(challenge);
    if (!fresh || !signature.verify("POST", path, challenge, body, request.getHeader(AdminSignature.SIGNATURE_HEADER))) {
      log.warn("admin request {} refused from {}: {}", command, request.remoteAddress(), fresh ? "wrong signature" : "no fresh challenge");
      respond(request, 401, error("not signed with the admin key over a fresh challenge from this process (POST " + CHALLENGE_PATH + ")"));
      return;
    }
    if (!commands.knows(command)) {
      respond(request, 404, error("no such command: see parley-admin --help"));
      return;
    }
    JsonObject args;
    try {
      args = body.length == 0 ? new JsonObject() : new JsonObject(Buffer.buffer(body));
    } catch (DecodeException e) {
      respond(request, 400, error("the body is not a JSON object"));
      return;
    }
    String target = loggable(args.getValue("user", "-")) + (args.containsKey("device") ? " device " + loggable(args.getValue("device")) : "");
    commands.run(command, args).onComplete(done -> {
      if (done.succeeded()) {
        log(command, target, "done");
        respond(request, 200, done.result());
      } else if (done.cause() instanceof AdminRefusal refused) {
        log(command, target, "refused " + refused.httpStatus() + ": " + refused.getMessage());
        respond(request, refused.httpStatus(), error(refused.getMessage()));
      } else {
        log.error("admin {} for {} failed", command, target, done.cause());
        respond(request, 500, error("the command failed; see this process's log"));
      }
    });
  }

  /** An argument as the audit line shows it: any JSON type, cut to the length of a real name. */
  private static String loggable(Object value) {
    String text = String.valueOf(value);
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }

  /** Every command, reads included: an export of someone's data is worth an audit line too. */
  private static void log(String command, String target, String outcome) {
    log.info("admin {} for {}: {}", command, target, outcome);
  }

  private static JsonObject error(String reason) {
    return new JsonObject().put("error", reason);
  }

  private static void respond(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode() + "\n");
  }
}
