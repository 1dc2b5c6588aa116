package io.parley.bench;

import io.parley.shared.protocol.packet.RoomType;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The throughput scenarios. direct: N users in pairs, each posting into its direct room with its
 * partner. group: rooms of M members, the owner of each room posting. Both search the highest
 * aggregate message rate whose measured step passes (p99 ≤ target, nothing lost, ≥ 97 % delivered).
 */
final class ChatScenario {
  record Settings(
      int users, int members, double startRate, double maxRate, int maxSteps, boolean search, ChatLoad.Settings load,
      int setupConcurrency, int packetRateLimit) {}

  private final Env env;
  private final Settings settings;
  private final String name;

  ChatScenario(Env env, String name, Settings settings) {
    this.env = env;
    this.name = name;
    this.settings = settings;
  }

  /** Runs the scenario and returns the summary row (the per-step rows are in the report already). */
  JsonObject run() throws Exception {
    boolean group = name.equals("group");
    int users = settings.users();
    List<Population.Account> accounts = env.population().ensure(users, settings.setupConcurrency());
    List<Client> clients = Client.resumeAll(env.vertx(), env.loops(), env.target(), accounts, settings.setupConcurrency());
    try {
      List<ChatLoad.Sender> senders = group ? groupRooms(clients) : directRooms(clients, settings.setupConcurrency());
      ChatLoad load = new ChatLoad(env.vertx(), env.loops(), senders, clients, settings.load());
      EventsCounter counter = env.counter();
      List<JsonObject> steps = new ArrayList<>();
      RateSearch.Step step = rate -> {
        double perSender = rate / senders.size();
        if (perSender > settings.packetRateLimit()) {
          env.report().note(String.format(
              "at %.0f msg/s each sender posts %.1f packets/s, above the server's packet budget of %d/s (--packet-rate, the server's"
                  + " PARLEY_PACKET_RATE_PER_SECOND): raise it in the server command and say so with --packet-rate, or expect RATE_LIMITED",
              rate, perSender, settings.packetRateLimit()));
        }
        long rowsBefore = counter == null ? -1 : counter.count();
        ChatLoad.StepResult r = load.step(rate, env.probe());
        long rowsAfter = counter == null ? -1 : counter.count();
        JsonObject row = stepRow(r, senders.size(), users, rowsBefore, rowsAfter);
        steps.add(env.report().row(row));
        return r.passed();
      };
      RateSearch.Outcome outcome;
      if (settings.search()) {
        outcome = RateSearch.search(settings.startRate(), settings.maxRate(), settings.maxSteps(), step);
        if (outcome.best() > 0) {
          // One step on a shared machine swings with the neighbours: the knee is run three times.
          for (int repeat = 1; repeat < KneeSteps.RUNS; repeat++) {
            step.run(outcome.best());
          }
        }
      } else {
        boolean passed = step.run(settings.startRate());
        outcome = new RateSearch.Outcome(passed ? settings.startRate() : 0, List.of(settings.startRate()));
      }
      int fanout = senders.get(0).fanout();
      JsonObject summary = new JsonObject()
          .put("scenario", name + "-result")
          .put("users", users)
          .put("members", group ? settings.members() : 2)
          .put("best_msg_per_s", outcome.best())
          .put("best_deliveries_per_s", outcome.best() * fanout)
          .put("steps", steps.size());
      KneeSteps.at(steps, outcome.best()).summarise(summary);
      summary.put("commit", RunProvenance.commit());
      env.probe().jvm().ifPresent(pid -> summary.put("server_jvm_flags", String.join(" ", RunProvenance.jvmFlags(pid))));
      return summary;
    } finally {
      Client.closeAll(clients);
    }
  }

  private JsonObject stepRow(ChatLoad.StepResult r, int senders, int users, long rowsBefore, long rowsAfter) {
    JsonObject row = new JsonObject()
        .put("scenario", name)
        .put("users", users)
        .put("senders", senders)
        .put("rate", r.rate())
        .put("offered", Math.round(r.offeredDeliveries()))
        .put("sent", r.sent())
        .put("acked", r.acked())
        .put("delivered", r.delivered())
        .put("lost", r.lost())
        .put("errors", r.errors() + r.unacked())
        .put("deliv_per_s", Math.round(r.deliveriesPerSecond()))
        .put("p50_ms", r.p50Ms())
        .put("p90_ms", r.p90Ms())
        .put("p99_ms", r.p99Ms())
        .put("max_ms", r.maxMs())
        .put("pass", r.passed())
        .put("cpu_pct", env.probe().cpuPercent(r.cpuBefore(), r.cpuAfter(), r.measuredS()));
    if (env.probe().present()) {
      // CPU per message does not swing with the machine's load the way rates and latencies do.
      double serverMs = env.probe().serverCpuMs(r.cpuBefore(), r.cpuAfter());
      row.put("server_cpu_ms_per_msg", perItem(serverMs, r.acked()))
          .put("server_cpu_ms_per_delivery", perItem(serverMs, r.delivered()));
    }
    row.put("bench_cpu_ms_per_msg", perItem(env.probe().benchCpuMs(r.cpuBefore(), r.cpuAfter()), r.acked()));
    if (rowsBefore >= 0) {
      // Every acknowledged message of the step (warm-up included) must be one new row in message.events.
      row.put("db_rows", rowsAfter - rowsBefore).put("step_acked", r.stepAckedTotal());
    } else {
      row.put("db_rows", "no --pg-url");
    }
    return row;
  }

  /** CPU-ms per item to 4 decimals (tick resolution is 10 ms per window), or null when there were none. */
  static Double perItem(double cpuMs, long items) {
    return items <= 0 ? null : Math.round(cpuMs / items * 10_000) / 10_000.0;
  }

  /** Pairs (0,1), (2,3)...: one direct room each; both people post into it. */
  static List<ChatLoad.Sender> directRooms(List<Client> clients, int concurrency) throws Exception {
    int pairs = clients.size() / 2;
    Parallel.Outcome<UUID> rooms = Loops.await(Parallel.run(pairs, concurrency, i ->
        clients.get(2 * i).rooms.createRoom(RoomType.DIRECT, null, List.of(clients.get(2 * i + 1).account.user()))), 600);
    check(rooms, "direct rooms");
    List<ChatLoad.Sender> senders = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      senders.add(new ChatLoad.Sender(clients.get(2 * i), rooms.results().get(i), 1));
      senders.add(new ChatLoad.Sender(clients.get(2 * i + 1), rooms.results().get(i), 1));
    }
    return senders;
  }

  /** Consecutive runs of {@code members} clients form a fresh group each; its owner posts. */
  private List<ChatLoad.Sender> groupRooms(List<Client> clients) throws Exception {
    int members = settings.members();
    int count = clients.size() / members;
    if (count == 0) {
      throw new IllegalArgumentException("--users " + clients.size() + " cannot fill one room of " + members);
    }
    String tag = Long.toString(System.currentTimeMillis(), 36);
    Parallel.Outcome<UUID> rooms = Loops.await(Parallel.run(count, settings.setupConcurrency(), i -> {
      List<String> people = new ArrayList<>();
      for (int m = 1; m < members; m++) {
        people.add(clients.get(i * members + m).account.user());
      }
      return clients.get(i * members).rooms.createRoom(RoomType.GROUP, "bench " + tag + " " + i, people);
    }), 600);
    check(rooms, "group rooms");
    List<ChatLoad.Sender> senders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      senders.add(new ChatLoad.Sender(clients.get(i * members), rooms.results().get(i), members - 1));
    }
    return senders;
  }

  private static void check(Parallel.Outcome<?> outcome, String what) {
    if (outcome.failed() > 0) {
      throw new IllegalStateException(outcome.failed() + " " + what + " could not be created; first: " + outcome.firstFailure());
    }
  }
}
