package io.parley.shared.admin;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The parley-admin commands and the owning service each one asks: the auth service for accounts,
 * devices and sessions, the room service for rooms, every process (a census) for connections. Each
 * command's arguments are checked here, before anything is asked; every answer is JSON.
 */
public final class AdminCommands {
  /** Longer than any name or email the protocol accepts; a bound on what an admin request may carry. */
  static final int MAX_ARGUMENT_CHARS = 256;
  static final int DEFAULT_ROOM_LIMIT = 50;
  static final int MAX_ROOM_LIMIT = 1_000;

  private final Vertx vertx;
  private final BusClient bus;
  private final Map<String, Function<JsonObject, Future<JsonObject>>> commands;

  public AdminCommands(Vertx vertx, BusClient bus) {
    this.vertx = vertx;
    this.bus = bus;
    this.commands = Map.of(
        "find-user", args -> ask(Addresses.AUTH_ADMIN_FIND_USER, new JsonObject().put("query", text(args, "query"))),
        "lock", args -> ask(Addresses.AUTH_ADMIN_LOCK, userOf(args)),
        "unlock", args -> ask(Addresses.AUTH_ADMIN_UNLOCK, userOf(args)),
        "devices", args -> ask(Addresses.AUTH_ADMIN_ACCOUNT, userOf(args))
            .map(account -> new JsonObject().put("user", account.getJsonObject("profile").getString("user")).put("devices", account.getJsonArray("devices"))),
        "revoke-device", args -> ask(Addresses.AUTH_ADMIN_END_SESSIONS, userOf(args).put("device", device(args))),
        "end-sessions", args -> ask(Addresses.AUTH_ADMIN_END_SESSIONS, userOf(args)),
        "connections", args -> AdminCensus.gather(vertx),
        "rooms", args -> ask(Addresses.ROOM_ADMIN_SIZES, new JsonObject().put("limit", limit(args))),
        "export", this::export);
  }

  public boolean knows(String command) {
    return commands.containsKey(command);
  }

  /** Fails with {@link AdminRefusal} for bad arguments, an unknown user or device, or a service that did not answer. */
  public Future<JsonObject> run(String command, JsonObject args) {
    try {
      return commands.get(command).apply(args);
    } catch (AdminRefusal refused) {
      return Future.failedFuture(refused);
    }
  }

  /** One person's data: what the auth service holds about them and the rooms they are in. */
  private Future<JsonObject> export(JsonObject args) {
    JsonObject user = userOf(args);
    return ask(Addresses.AUTH_ADMIN_ACCOUNT, user).compose(account ->
        ask(Addresses.ROOM_ADMIN_ROOMS_OF, user).map(rooms -> new JsonObject()
            .put("exported_at", Instant.now().toString())
            .put("profile", account.getJsonObject("profile"))
            .put("devices", account.getJsonArray("devices"))
            .put("rooms", rooms.getJsonArray("rooms"))));
  }

  private Future<JsonObject> ask(String address, JsonObject request) {
    return bus.<JsonObject>request(address, request)
        .recover(failure -> Future.failedFuture(new AdminRefusal(503, unanswered(address, failure))))
        .map(body -> {
          if (!body.getBoolean("found", true)) {
            throw new AdminRefusal(404, body.getString("reason", "no such user"));
          }
          body.remove("found");
          return body;
        });
  }

  /** A timeout or a missing service reaches us as BusClient's UNAVAILABLE; anything else is the service's own failure. */
  private static String unanswered(String address, Throwable failure) {
    String why = failure instanceof StatusException ? "did not answer" : "failed (" + failure.getMessage() + ")";
    return "the " + BusClient.serviceOf(address) + " service " + why + "; nothing is known to have changed, retry";
  }

  private static JsonObject userOf(JsonObject args) {
    // Usernames are stored case-folded (LOGIN folds them); an operator may type them as people do.
    return new JsonObject().put("user", text(args, "user").toLowerCase(Locale.ROOT));
  }

  private static String text(JsonObject args, String field) {
    Object value = args.getValue(field);
    if (!(value instanceof String text) || text.isBlank() || text.length() > MAX_ARGUMENT_CHARS) {
      throw new AdminRefusal(400, field + ": required, 1-" + MAX_ARGUMENT_CHARS + " characters");
    }
    return text.strip();
  }

  private static String device(JsonObject args) {
    try {
      return UUID.fromString(text(args, "device")).toString();
    } catch (IllegalArgumentException e) {
      throw new AdminRefusal(400, "device: a device id (uuid), as `devices` lists them");
    }
  }

  private static int limit(JsonObject args) {
    Object value = args.getValue("limit", DEFAULT_ROOM_LIMIT);
    if (!(value instanceof Number number) || number.intValue() < 1 || number.intValue() > MAX_ROOM_LIMIT) {
      throw new AdminRefusal(400, "limit: a number from 1 to " + MAX_ROOM_LIMIT);
    }
    return number.intValue();
  }
}
