package io.parley.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server under attack by hostile clients (see {@link AttackKind}), one round per {@code --attack}
 * item, while a well-behaved {@link Bystander} keeps using it. Per round it measures what the attack
 * costs the server — heap after a full GC before, at the end of the attack (attackers still
 * connected) and after they have gone, plus the peak of sampled used heap — and what the server did to
 * the attackers: closes by how (at accept, plaintext or encrypted STATUS by code, silently). Hostile
 * connections come from many loopback source addresses (the server limits per address); the bystander
 * from 127.0.0.1.
 */
final class AbuseScenario {

  record Settings(
      String attack, int connections, int floodConnections, int sourceAddresses, double durationS, int frameBytes,
      long dribbleMs, int concurrency, long reconnectMs, double bystanderRate, double settleS, long sampleMs) {}

  /** Connect timeout of hostile connections: a server that stops accepting shows as connect_failed. */
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final Env env;
  private final Settings settings;

  AbuseScenario(Env env, Settings settings) {
    this.env = env;
    this.settings = settings;
  }

  /** File descriptors the bench holds at once for the largest round of {@code spec}. */
  static long descriptorsNeeded(Settings settings) {
    long most = 0;
    for (List<AttackKind> round : AttackKind.rounds(settings.attack())) {
      long needed = 0;
      for (AttackKind kind : round) {
        needed += switch (kind) {
          case HANDSHAKE_FLOOD -> settings.connections() + settings.concurrency();
          case PACKET_FLOOD -> settings.floodConnections();
          default -> settings.connections();
        };
      }
      most = Math.max(most, needed);
    }
    return most;
  }

  List<JsonObject> run() throws Exception {
    List<List<AttackKind>> rounds = AttackKind.rounds(settings.attack());
    // Account 0 floods, account 1 is the bystander: the flood must not spend the bystander's budget.
    List<Population.Account> accounts = env.population().ensure(2, 2);
    Vertx bystanderVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    SourceAddresses sources = new SourceAddresses(env.vertx(), settings.sourceAddresses(), CONNECT_TIMEOUT_MS);
    try {
      Loops bystanderLoop = Loops.start(bystanderVertx, 1);
      List<JsonObject> rows = new ArrayList<>();
      for (List<AttackKind> round : rounds) {
        rows.add(round(round, sources, new Bystander(bystanderVertx, bystanderLoop, env.target(), accounts.get(1), settings.bystanderRate()),
            accounts.get(0)));
      }
      return rows;
    } finally {
      Loops.await(sources.close(), 30);
      bystanderVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private JsonObject round(List<AttackKind> kinds, SourceAddresses sources, Bystander bystander, Population.Account floodAccount)
      throws Exception {
    Long pid = env.probe().jvm().orElse(null);
    Tally tally = new Tally();
    AtomicLong attempts = new AtomicLong();
    List<Attack> attacks = new ArrayList<>();
    for (AttackKind kind : kinds) {
      attacks.add(attack(kind, sources, tally, attempts, floodAccount));
    }
    long heapBaseline = pid == null ? -1 : ServerProbe.heapUsedAfterGcKb(pid);
    bystander.start();
    long[] cpuBefore = env.probe().cpuSnapshot();
    long t0 = System.nanoTime();
    long deadline = t0 + (long) (settings.durationS() * 1e9);
    attacks.forEach(Attack::start);
    long heapPeak = -1;
    while (System.nanoTime() < deadline) {
      Thread.sleep(Math.max(1, Math.min(settings.sampleMs(), (deadline - System.nanoTime()) / 1_000_000)));
      if (pid != null) {
        heapPeak = Math.max(heapPeak, ServerProbe.heapUsedKb(pid));
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    // CPU over the attack window: how much of the two cores the server and the bench each took.
    JsonObject cpu = env.probe().cpuPercent(cpuBefore, env.probe().cpuSnapshot(), seconds);
    Bystander.Result seen = bystander.stop();
    // While the attackers are still connected: what they make the server hold.
    long heapHeld = pid == null ? -1 : ServerProbe.heapUsedAfterGcKb(pid);
    long stillOpen = 0;
    for (Attack attack : attacks) {
      stillOpen += Loops.await(attack.stop(), 60);
    }
    // Let the server notice the closes before asking whether the memory came back.
    Thread.sleep((long) (settings.settleS() * 1000));
    long heapAfter = pid == null ? -1 : ServerProbe.heapUsedAfterGcKb(pid);

    JsonObject row = new JsonObject()
        .put("scenario", "abuse")
        .put("attack", String.join("+", kinds.stream().map(AttackKind::flag).toList()))
        .put("connections", settings.connections())
        .put("source_addresses", sources.size())
        .put("seconds", seconds)
        .put("opened", attempts.get())
        .put("still_open", stillOpen)
        .put("cpu_pct", cpu);
    if (pid == null) {
      row.put("server", "no --server-pid: server heap not measured");
    } else {
      row.put("heap_baseline_kb", heapBaseline)
          .put("heap_peak_kb", heapPeak)
          .put("heap_held_kb", heapHeld)
          .put("heap_after_kb", heapAfter)
          .put("growth_mb", (heapHeld - heapBaseline) / 1024.0)
          .put("after_growth_mb", (heapAfter - heapBaseline) / 1024.0);
    }
    if (kinds.contains(AttackKind.PACKET_FLOOD)) {
      row.put("flood_connections", settings.floodConnections());
    }
    seen.writeTo(row);
    tally.writeTo(row);
    for (Attack attack : attacks) {
      attack.report(row, seconds);
    }
    return row;
  }

  private Attack attack(AttackKind kind, SourceAddresses sources, Tally tally, AtomicLong attempts, Population.Account floodAccount) {
    Vertx vertx = env.vertx();
    HostileSlots.Misbehaviour misbehaviour = switch (kind) {
      case SILENT -> Misbehaviours.silent();
      case ANNOUNCE_PRE -> Misbehaviours.announcePre(settings.frameBytes());
      case ANNOUNCE_POST -> Misbehaviours.announcePost(settings.frameBytes());
      case DRIBBLE_PRE -> Misbehaviours.dribblePre(vertx, settings.dribbleMs());
      case DRIBBLE_POST -> Misbehaviours.dribblePost(vertx, settings.dribbleMs());
      case PACKET_FLOOD -> new PacketFlood(vertx, floodAccount, tally);
      case HANDSHAKE_FLOOD -> null;
    };
    if (misbehaviour == null) {
      return new HandshakeFlood(env, sources, tally, attempts, settings.concurrency(), settings.connections());
    }
    int count = kind == AttackKind.PACKET_FLOOD ? settings.floodConnections() : settings.connections();
    return new HostileSlots(env, sources, tally, attempts, kind.flag(), count, misbehaviour, settings.concurrency(), settings.reconnectMs());
  }
}
