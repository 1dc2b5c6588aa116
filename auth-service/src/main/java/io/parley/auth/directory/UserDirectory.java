package io.parley.auth.directory;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What other services may ask the auth service about users: which names exist (CREATE_ROOM, add)
 * and the chat public keys of their devices (the room key directory). Internal requests, each one
 * indexed query for the whole list.
 */
public final class UserDirectory {
  private final Pool pool;

  public UserDirectory(Pool pool) {
    this.pool = pool;
  }

  /** {"users": [...]} → {"unknown": [the names without an account, in request order]}. */
  public Future<JsonObject> usersExist(JsonObject request) {
    List<String> users = strings(request.getJsonArray("users", new JsonArray()));
    return pool.preparedQuery("SELECT username FROM users WHERE username = ANY($1)")
        .execute(Tuple.of(users.toArray(String[]::new)))
        .map(rows -> {
          Set<String> known = new HashSet<>();
          rows.forEach(row -> known.add(row.getString("username")));
          JsonArray unknown = new JsonArray();
          users.stream().filter(user -> !known.contains(user)).forEach(unknown::add);
          return new JsonObject().put("unknown", unknown);
        });
  }

  /** {"users": [...]} → {"keys": {user: [{"device", "chat_pubkey"}]}}; users without a key get []. */
  public Future<JsonObject> deviceKeys(JsonObject request) {
    List<String> users = strings(request.getJsonArray("users", new JsonArray()));
    return pool.preparedQuery(
            "SELECT u.username, d.device_id, d.chat_pubkey FROM users u JOIN devices d ON d.user_id = u.id"
                + " WHERE u.username = ANY($1) AND d.chat_pubkey IS NOT NULL ORDER BY u.username, d.created_at")
        .execute(Tuple.of(users.toArray(String[]::new)))
        .map(rows -> {
          JsonObject keys = new JsonObject();
          users.forEach(user -> keys.put(user, new JsonArray()));
          for (Row row : rows) {
            keys.getJsonArray(row.getString("username"))
                .add(new JsonObject()
                    .put("device", row.getUUID("device_id").toString())
                    .put("chat_pubkey", row.getString("chat_pubkey")));
          }
          return new JsonObject().put("keys", keys);
        });
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(String.valueOf(value)));
    return values;
  }
}
