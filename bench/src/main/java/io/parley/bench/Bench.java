package io.parley.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parley's load generator: {@code java -jar bench/target/parley-bench.jar SCENARIO [--flag value]...}.
 * It speaks the real protocol through the SDK's secure channel against a server another command
 * started. Every run is bounded in time and count, and it refuses non-loopback targets: this tool is
 * for measuring a server on this machine. Results print as a table and append as JSON lines.
 */
public final class Bench {
  static final List<String> SCENARIOS = List.of("idle", "handshake", "resume", "direct", "group", "sync", "abuse", "costs");

  /** Flags every scenario takes. */
  static final Map<String, String> COMMON =
      Map.of(
          "host", "127.0.0.1",
          "port", "7400",
          "fingerprint", "",
          // One event loop per core: more loops than cores cost the bench ~30 % more CPU per message
          // (docs/benchmarks.md, "The bench's own cost"), fewer leave a core idle.
          "loops", Integer.toString(Runtime.getRuntime().availableProcessors()),
          "server-pid", "",
          "pg-url", "",
          "json", "bench-results.jsonl",
          "population", "");

  static final Map<String, Map<String, String>> SPECIFIC =
      Map.of(
          "idle", Map.of("connections", "10000", "accounts", "5000", "concurrency", "64", "hold-s", "5"),
          "handshake", Map.of("concurrency", "32", "duration-s", "10", "max-count", "1000000"),
          "resume", Map.of("accounts", "200", "concurrency", "32", "duration-s", "10", "max-count", "1000000"),
          "direct", directFlags(),
          "group", chatFlags("1000", "10", "50"),
          "sync", Map.of("events", "1000", "runs", "5", "in-flight", "64", "message-bytes", "128"),
          "abuse", abuseFlags(),
          "costs", Map.of("rounds", "2000", "json", "bench-results.jsonl"));

  private static Map<String, String> abuseFlags() {
    Map<String, String> flags = new HashMap<>();
    flags.put("attack", "each,all");
    flags.put("connections", "1000");
    flags.put("flood-connections", "20");
    flags.put("source-addresses", "100");
    flags.put("duration-s", "20");
    flags.put("frame-bytes", "1048576");
    flags.put("dribble-ms", "1000");
    flags.put("concurrency", "32");
    flags.put("reconnect-ms", "1000");
    flags.put("bystander-rate", "5");
    flags.put("settle-s", "2");
    flags.put("sample-ms", "1000");
    return flags;
  }

  /** direct's own: the chat flags, and those of a run with one fault injected ({@link FaultRun}). */
  private static Map<String, String> directFlags() {
    Map<String, String> flags = chatFlags("1000", "2", "250");
    flags.put("fault", "");
    flags.put("fault-pid", "");
    flags.put("fault-port", "");
    flags.put("fault-at-s", "10");
    flags.put("fault-for-s", "20");
    flags.put("run-s", "60");
    flags.put("slow-ms", "1000");
    return flags;
  }

  private static Map<String, String> chatFlags(String users, String members, String startRate) {
    Map<String, String> flags = new HashMap<>();
    flags.put("users", users);
    flags.put("members", members);
    flags.put("start-rate", startRate);
    flags.put("max-rate", "64000");
    flags.put("max-steps", "12");
    flags.put("search", "true");
    flags.put("warmup-s", "2");
    flags.put("measure-s", "10");
    flags.put("drain-s", "3");
    flags.put("message-bytes", "128");
    flags.put("p99-ms", "100");
    flags.put("setup-concurrency", "32");
    flags.put("packet-rate", "50");
    flags.put("profile", "");
    return flags;
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !SCENARIOS.contains(args[0])) {
      usage(System.err);
      System.exit(2);
    }
    int code;
    try {
      code = run(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      usage(System.err);
      code = 2;
    }
    System.exit(code);
  }

  static void usage(PrintStream err) {
    err.println("usage: parley-bench SCENARIO --fingerprint HEX [--flag value]...");
    err.println("  scenarios: " + String.join(", ", SCENARIOS));
    err.println("  every scenario but costs: " + new java.util.TreeMap<>(COMMON));
    for (String scenario : SCENARIOS) {
      err.println("  " + scenario + ": " + new java.util.TreeMap<>(SPECIFIC.get(scenario)));
    }
    err.println("  --profile PREFIX (direct, group): a JFR recording of the server (--server-pid) per measured window, PREFIX-<rate>.jfr;"
        + " read it with bench/scripts/top-frames.sh");
    err.println("  --attack (abuse): comma-separated rounds, each a kind, kinds joined by + (at once), 'each' (every kind, one round"
        + " each) or 'all' (every kind at once); kinds: " + String.join(", ", AttackKind.names()));
    err.println("  costs: no server; CPU per call of token verify, handshake, record seal/open, Argon2id, image captcha, in this process");
    err.println("  --fault kill|stop (direct): one fixed-rate run of --run-s at --start-rate; at --fault-at-s the process --fault-pid,"
        + " or the one listening on --fault-port, gets SIGKILL, or SIGSTOP and SIGCONT --fault-for-s later; reports what the users saw"
        + " per second and in total (failures by code, acknowledged messages lost, duplicates, error window, recovery); docs/reliability.md");
    err.println("  --server-pid: the Parley JVM's pid first, then any other process to watch (postmaster, redis), comma-separated");
  }

  /** Runs one scenario from its command line; returns the exit code (0 when every row was produced). */
  static int run(String[] args, PrintStream out) throws Exception {
    String scenario = args[0];
    if (scenario.equals("costs")) {
      return costs(new Flags(args, 1, SPECIFIC.get("costs")), out);
    }
    Map<String, String> defaults = new HashMap<>(COMMON);
    defaults.putAll(SPECIFIC.get(scenario));
    Flags flags = new Flags(args, 1, defaults);
    String host = flags.get("host");
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      throw new IllegalArgumentException("refusing to load " + host + ": the bench targets loopback addresses only");
    }
    if (flags.get("fingerprint").isEmpty()) {
      throw new IllegalArgumentException("--fingerprint is required (the server prints it at start)");
    }
    Target target = new Target(host, flags.getInt("port"), flags.get("fingerprint"));
    String json = flags.get("json");
    Report report = new Report(out, json.isEmpty() ? null : Path.of(json));
    ServerProbe probe = new ServerProbe(flags.get("server-pid"));
    if (!probe.present()) {
      report.note("no --server-pid: server CPU and memory are not measured");
    } else {
      probe = withDatabaseOf(probe, flags.get("pg-url"), report);
    }
    report.note("loadavg before: " + ServerProbe.loadavg() + " (2 cores shared by the bench and the server)");
    int loopCount = Math.max(1, Math.min(64, flags.getInt("loops")));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loopCount));
    EventsCounter counter = null;
    try {
      Loops loops = Loops.start(vertx, loopCount);
      counter = EventsCounter.open(vertx, flags.get("pg-url"));
      if (counter == null && (scenario.equals("direct") || scenario.equals("group"))) {
        report.note("no --pg-url: message.events rows are not counted");
      }
      Path populationFile =
          flags.get("population").isEmpty() ? Population.defaultFile(target.fingerprint()) : Path.of(flags.get("population"));
      Env env = new Env(vertx, loops, target, probe, report, new Population(vertx, loops, target, populationFile, out), counter);
      for (JsonObject row : scenario(scenario, flags, env)) {
        report.row(row);
      }
      report.note("loadavg after: " + ServerProbe.loadavg());
      report.printTable();
      return 0;
    } finally {
      if (counter != null) {
        counter.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * The server's PostgreSQL counts in its CPU figures even when --server-pid does not name it: the
   * process listening on the port of --pg-url (and its backends) is watched too.
   */
  private static ServerProbe withDatabaseOf(ServerProbe probe, String pgUrl, Report report) {
    if (pgUrl.isEmpty()) {
      return probe;
    }
    int port = java.net.URI.create(pgUrl).getPort();
    java.util.Optional<Long> postmaster = port > 0 ? ListeningProcess.on(port) : java.util.Optional.empty();
    if (postmaster.isEmpty()) {
      report.note("no process found listening on " + pgUrl + ": PostgreSQL counts in the server's CPU only if --server-pid names it");
      return probe;
    }
    ServerProbe watched = probe.watching(postmaster.get());
    report.note("server CPU counts " + watched.serverTree().size() + " processes: pids " + watched.pids() + " and their descendants");
    return watched;
  }

  /** The in-process costs: no target, so none of the server flags (host, fingerprint, server-pid) apply. */
  private static int costs(Flags flags, PrintStream out) throws Exception {
    String json = flags.get("json");
    Report report = new Report(out, json.isEmpty() ? null : Path.of(json));
    report.note("loadavg before: " + ServerProbe.loadavg() + " (one thread; " + Runtime.getRuntime().availableProcessors() + " cores)");
    Vertx vertx = Vertx.vertx();
    try {
      for (JsonObject row : new CostsScenario(vertx, flags.getInt("rounds")).run()) {
        report.row(row);
      }
      report.note("loadavg after: " + ServerProbe.loadavg());
      report.printTable();
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** This process's open-file limit ("Max open files" in /proc/self/limits), or -1. */
  static long openFileLimit() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static List<JsonObject> faultRun(Flags flags, Env env) throws Exception {
    double runS = Math.min(600, flags.getDouble("run-s"));
    Fault fault = Fault.fromFlags(flags, runS);
    List<Integer> users = flags.getIntList("users");
    if (users.size() != 1) {
      throw new IllegalArgumentException("--fault takes one --users value");
    }
    return new FaultRun(env, new FaultRun.Settings(
        users.get(0), flags.getDouble("start-rate"), runS, Math.min(60, flags.getDouble("drain-s")), flags.getInt("message-bytes"),
        flags.getInt("setup-concurrency"), flags.getLong("slow-ms"), fault)).run();
  }

  private static List<JsonObject> scenario(String scenario, Flags flags, Env env) throws Exception {
    List<JsonObject> rows = new ArrayList<>();
    switch (scenario) {
      case "idle" -> {
        long fdLimit = openFileLimit();
        if (fdLimit > 0 && flags.getInt("connections") > fdLimit - 500) {
          throw new IllegalArgumentException("--connections " + flags.getInt("connections") + " needs as many file descriptors; this"
              + " process may open " + fdLimit + " (ulimit -n), and needs ~500 for itself");
        }
        rows.add(new IdleScenario(env, new IdleScenario.Settings(
          flags.getInt("connections"), flags.getInt("accounts"), flags.getInt("concurrency"), flags.getDouble("hold-s"))).run());
      }
      case "handshake" -> {
        long durationS = Math.min(300, flags.getLong("duration-s"));
        long[] cpuBefore = env.probe().cpuSnapshot();
        long t0 = System.nanoTime();
        HandshakeScenario.Result result =
            new HandshakeScenario(env.vertx(), new HandshakeScenario.Settings(
                env.target().host(), env.target().port(), flags.getInt("concurrency"), Duration.ofSeconds(durationS),
                flags.getLong("max-count"), env.target().fingerprint()))
                .run().toCompletionStage().toCompletableFuture().get(durationS + 60, TimeUnit.SECONDS);
        rows.add(result.toJson().put("cpu_pct", env.probe().cpuPercent(cpuBefore, env.probe().cpuSnapshot(), (System.nanoTime() - t0) / 1e9)));
      }
      case "resume" -> rows.add(new ResumeScenario(env, new ResumeScenario.Settings(
          flags.getInt("accounts"), flags.getInt("concurrency"), Math.min(300, flags.getDouble("duration-s")), flags.getLong("max-count"))).run());
      case "direct", "group" -> {
        if (scenario.equals("direct")
            && (!flags.get("fault").isEmpty() || !flags.get("fault-pid").isEmpty() || !flags.get("fault-port").isEmpty())) {
          rows.addAll(faultRun(flags, env));
          return rows;
        }
        for (int users : flags.getIntList("users")) {
          for (int members : scenario.equals("group") ? flags.getIntList("members") : List.of(2)) {
            ChatLoad.Settings load = new ChatLoad.Settings(
                Math.min(60, flags.getDouble("warmup-s")), Math.min(120, flags.getDouble("measure-s")), Math.min(30, flags.getDouble("drain-s")),
                flags.getInt("message-bytes"), flags.getDouble("p99-ms"), 0.97, flags.get("profile").isEmpty() ? null : flags.get("profile"));
            ChatScenario.Settings settings = new ChatScenario.Settings(
                users, members, flags.getDouble("start-rate"), flags.getDouble("max-rate"), Math.min(20, flags.getInt("max-steps")),
                Boolean.parseBoolean(flags.get("search")), load, flags.getInt("setup-concurrency"), flags.getInt("packet-rate"));
            rows.add(new ChatScenario(env, scenario, settings).run());
          }
        }
      }
      case "sync" -> rows.add(new SyncScenario(env, new SyncScenario.Settings(
          flags.getInt("events"), Math.min(100, flags.getInt("runs")), flags.getInt("in-flight"), flags.getInt("message-bytes"))).run());
      case "abuse" -> {
        AbuseScenario.Settings settings = new AbuseScenario.Settings(
            flags.get("attack"), flags.getInt("connections"), flags.getInt("flood-connections"), flags.getInt("source-addresses"),
            Math.min(300, flags.getDouble("duration-s")), flags.getInt("frame-bytes"), flags.getLong("dribble-ms"),
            Math.max(1, flags.getInt("concurrency")), flags.getLong("reconnect-ms"), flags.getDouble("bystander-rate"),
            Math.min(60, flags.getDouble("settle-s")), Math.max(100, flags.getLong("sample-ms")));
        long needed = AbuseScenario.descriptorsNeeded(settings);
        long fdLimit = openFileLimit();
        if (fdLimit > 0 && needed > fdLimit - 500) {
          throw new IllegalArgumentException("--attack " + settings.attack() + " with --connections " + settings.connections()
              + " holds up to " + needed + " connections at once, one file descriptor each; this process may open " + fdLimit
              + " (ulimit -n), and needs ~500 for itself");
        }
        rows.addAll(new AbuseScenario(env, settings).run());
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
    return rows;
  }
}
