package io.parley.bench;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the hostile connections of one abuse round ended, counted from every event loop at once: the
 * server refused at accept, closed with a plaintext or an encrypted STATUS (by code), closed without
 * one, or the connection could not be opened; plus named counters an attack adds (replies by kind).
 */
final class Tally {
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> plaintextStatus = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> encryptedStatus = new ConcurrentHashMap<>();

  void add(String counter) {
    add(counter, 1);
  }

  void add(String counter, long n) {
    counters.computeIfAbsent(counter, k -> new LongAdder()).add(n);
  }

  long get(String counter) {
    LongAdder adder = counters.get(counter);
    return adder == null ? 0 : adder.sum();
  }

  /** The counters named {@code prefix}..., as {rest of the name: count}. */
  JsonObject startingWith(String prefix) {
    JsonObject json = new JsonObject();
    new TreeMap<>(counters).forEach((name, n) -> {
      if (name.startsWith(prefix)) {
        json.put(name.substring(prefix.length()), n.sum());
      }
    });
    return json;
  }

  /** Counts a connection's end. The bench's own closes are not counted: they say nothing of the server. */
  void ended(RawConnection.Ending ending) {
    if (!ending.byServer()) {
      return;
    }
    if (ending.status() != null) {
      (ending.encrypted() ? encryptedStatus : plaintextStatus)
          .computeIfAbsent(ending.status().name(), k -> new LongAdder()).increment();
    } else {
      add(ending.atAccept() ? "closed_at_accept" : "closed_no_status");
    }
  }

  void connectFailed() {
    add("connect_failed");
  }

  /** Server closes with no STATUS just before them (at accept or later): the target is zero. */
  long silentCloses() {
    return get("closed_at_accept") + get("closed_no_status");
  }

  /** The close accounting as row fields; the status maps are {code: count}. */
  void writeTo(JsonObject row) {
    row.put("connect_failed", get("connect_failed"))
        .put("closed_at_accept", get("closed_at_accept"))
        .put("closed_no_status", get("closed_no_status"))
        .put("silent_closes", silentCloses())
        .put("plaintext_status", toJson(plaintextStatus))
        .put("encrypted_status", toJson(encryptedStatus));
  }

  private static JsonObject toJson(Map<String, LongAdder> counts) {
    JsonObject json = new JsonObject();
    new TreeMap<>(counts).forEach((code, n) -> json.put(code, n.sum()));
    return json;
  }
}
