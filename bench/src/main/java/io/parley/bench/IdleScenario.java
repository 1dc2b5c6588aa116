package io.parley.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * N authenticated idle connections: what each costs the server in heap (after a full GC) and resident
 * memory, and how fast they log in (fresh connection + handshake + AUTH_TOKEN). Connections cycle
 * through the accounts, so with fewer accounts than connections a device holds several connections
 * (as a user with several tabs would) — at most PARLEY_MAX_CONNECTIONS_PER_DEVICE (4) each, or the
 * server closes the device's oldest.
 */
final class IdleScenario {
  record Settings(int connections, int accounts, int concurrency, double holdS) {}

  private final Env env;
  private final Settings settings;

  IdleScenario(Env env, Settings settings) {
    this.env = env;
    this.settings = settings;
  }

  JsonObject run() throws Exception {
    int accountCount = Math.min(settings.accounts(), settings.connections());
    List<Population.Account> accounts = env.population().ensure(accountCount, settings.concurrency());
    List<Population.Account> perConnection = new ArrayList<>(settings.connections());
    for (int i = 0; i < settings.connections(); i++) {
      perConnection.add(accounts.get(i % accounts.size()));
    }
    Long pid = env.probe().jvm().orElse(null);
    long heapBefore = pid == null ? -1 : ServerProbe.heapUsedAfterGcKb(pid);
    long rssBefore = pid == null ? -1 : ServerProbe.rssKb(pid);
    long t0 = System.nanoTime();
    Parallel.Outcome<Client> outcome =
        Loops.await(
            Parallel.run(perConnection.size(), settings.concurrency(),
                i -> Client.resume(env.vertx(), env.loops(), env.target(), perConnection.get(i), i)),
            900);
    double loginS = (System.nanoTime() - t0) / 1e9;
    int open = perConnection.size() - outcome.failed();
    try {
      Thread.sleep((long) (settings.holdS() * 1000));
      long heapAfter = pid == null ? -1 : ServerProbe.heapUsedAfterGcKb(pid);
      long rssAfter = pid == null ? -1 : ServerProbe.rssKb(pid);
      long stillOpen = outcome.results().stream().filter(c -> c != null && !c.connection.closed().isComplete()).count();
      JsonObject row = new JsonObject()
          .put("scenario", "idle")
          .put("connections", open)
          .put("accounts", accounts.size())
          .put("failed", outcome.failed())
          .put("still_open", stillOpen)
          .put("login_s", loginS)
          .put("logins_per_s", open / loginS);
      if (pid == null) {
        row.put("server", "no --server-pid: server memory not measured");
      } else {
        row.put("heap_before_kb", heapBefore)
            .put("heap_after_kb", heapAfter)
            .put("heap_per_conn_b", open == 0 ? null : (heapAfter - heapBefore) * 1024.0 / open)
            .put("rss_before_kb", rssBefore)
            .put("rss_after_kb", rssAfter)
            .put("rss_per_conn_b", open == 0 ? null : (rssAfter - rssBefore) * 1024.0 / open);
      }
      if (outcome.firstFailure() != null) {
        row.put("first_failure", String.valueOf(outcome.firstFailure()));
      }
      return row;
    } finally {
      Client.closeAll(outcome.results());
    }
  }
}
