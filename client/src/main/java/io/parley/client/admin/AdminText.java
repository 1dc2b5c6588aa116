package io.parley.client.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** parley-admin's answers in plain words, one function per command; {@code --json} skips this. */
final class AdminText {
  private AdminText() {}

  static String render(String command, JsonObject answer) {
    return switch (command) {
      case "find-user" -> foundUsers(answer.getJsonArray("users"));
      case "lock" -> answer.getString("user") + " is locked: they cannot log in; " + tokens(answer.getInteger("revoked_tokens"))
          + " revoked, and their live connections are logged out.";
      case "unlock" -> answer.getString("user") + " is unlocked: they can log in again.";
      case "devices" -> devices(answer.getString("user"), answer.getJsonArray("devices"));
      case "revoke-device" -> "Device " + answer.getString("device") + " of " + answer.getString("user") + " is revoked: "
          + tokens(answer.getInteger("revoked_tokens")) + " revoked; its live connections are logged out.";
      case "end-sessions" -> "Every session of " + answer.getString("user") + " is ended: " + tokens(answer.getInteger("revoked_tokens"))
          + " revoked; their live connections are logged out.";
      case "connections" -> connections(answer);
      case "rooms" -> rooms(answer.getJsonArray("rooms"));
      default -> answer.encodePrettily();
    };
  }

  private static String foundUsers(JsonArray users) {
    if (users.isEmpty()) {
      return "No account matches.";
    }
    List<String> lines = new ArrayList<>();
    for (JsonObject user : objects(users)) {
      lines.add(user.getString("user") + "  <" + user.getString("email") + ">  " + user.getString("fullname")
          + "  created " + user.getString("created") + (user.getBoolean("locked") ? "  LOCKED" : ""));
    }
    return String.join("\n", lines);
  }

  private static String devices(String user, JsonArray devices) {
    if (devices.isEmpty()) {
      return user + " has never logged in on any device.";
    }
    List<String> lines = new ArrayList<>(List.of(user + " has " + count(devices.size(), "device") + ", most recently seen first:"));
    for (JsonObject device : objects(devices)) {
      long live = device.getLong("live_tokens");
      lines.add("  " + device.getString("device") + "  first used " + device.getString("created") + ", last seen " + device.getString("last_seen")
          + ", " + (live == 0 ? "signed out" : count(live, "live token")) + (device.getString("chat_pubkey") == null ? ", no chat key" : ""));
    }
    return String.join("\n", lines);
  }

  private static String connections(JsonObject census) {
    List<String> lines = new ArrayList<>();
    long total = 0;
    List<JsonObject> gateways = objects(census.getJsonArray("gateways"));
    gateways.sort(java.util.Comparator.comparing(gateway -> gateway.getString("node")));
    for (JsonObject gateway : gateways) {
      total += gateway.getLong("connections");
      lines.add("gateway " + gateway.getString("node") + ": " + count(gateway.getLong("connections"), "connection") + " ("
          + gateway.getLong("authenticated") + " logged in, by " + count(gateway.getLong("accounts"), "account") + "; "
          + gateway.getLong("handshakes") + " still in the handshake)");
    }
    if (gateways.isEmpty()) {
      lines.add("No gateway answered.");
    } else if (gateways.size() > 1) {
      lines.add("all gateways: " + count(total, "connection"));
    }
    int missing = census.getInteger("members") - census.getInteger("answered");
    if (missing > 0) {
      lines.add(count(missing, "cluster process") + " did not answer: the counts above leave them out.");
    }
    return String.join("\n", lines);
  }

  private static String rooms(JsonArray rooms) {
    if (rooms.isEmpty()) {
      return "There are no rooms.";
    }
    List<String> lines = new ArrayList<>();
    for (JsonObject room : objects(rooms)) {
      String name = room.getString("name");
      lines.add(room.getString("room") + "  " + room.getString("type") + (name == null ? "" : " \"" + name + "\"") + "  "
          + count(room.getLong("members"), "member"));
    }
    return String.join("\n", lines);
  }

  private static String tokens(long n) {
    return count(n, "token");
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> objects = new ArrayList<>();
    array.forEach(value -> objects.add((JsonObject) value));
    return objects;
  }
}
