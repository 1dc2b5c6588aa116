package io.parley.bench;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parley's load generator: {@code java -jar bench/target/parley-bench.jar SCENARIO [--flag value]...}.
 * It speaks the real protocol through the SDK's secure channel. Every run is bounded in time and
 * count, and it refuses non-loopback targets: this tool is for measuring a server on this machine.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("handshake")) {
      System.err.println("usage: parley-bench handshake [--host 127.0.0.1] [--port 7400] [--fingerprint HEX]"
          + " [--concurrency 32] [--duration-s 10] [--max-count 1000000]");
      System.exit(2);
    }
    Flags flags =
        new Flags(
            args,
            1,
            Map.of(
                "host", "127.0.0.1",
                "port", "7400",
                "fingerprint", "",
                "concurrency", "32",
                "duration-s", "10",
                "max-count", "1000000"));
    String host = flags.get("host");
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      System.err.println("refusing to load " + host + ": the bench targets loopback addresses only");
      System.exit(2);
    }
    if (flags.get("fingerprint").isEmpty()) {
      System.err.println("--fingerprint is required (the server prints it at start)");
      System.exit(2);
    }
    long durationS = Math.min(300, flags.getLong("duration-s"));
    HandshakeScenario.Settings settings =
        new HandshakeScenario.Settings(
            host,
            flags.getInt("port"),
            flags.getInt("concurrency"),
            Duration.ofSeconds(durationS),
            flags.getLong("max-count"),
            flags.get("fingerprint"));
    Vertx vertx = Vertx.vertx();
    try {
      HandshakeScenario.Result result =
          new HandshakeScenario(vertx, settings).run().toCompletionStage().toCompletableFuture()
              .get(durationS + 60, TimeUnit.SECONDS);
      System.out.printf(
          "%-10s %10s %8s %10s %8s %8s %8s %8s%n", "scenario", "completed", "failed", "per_sec", "p50_ms", "p90_ms", "p99_ms", "max_ms");
      System.out.printf(
          "%-10s %10d %8d %10.0f %8.2f %8.2f %8.2f %8.2f%n",
          "handshake", result.completed(), result.failed(), result.perSecond(), result.p50Ms(), result.p90Ms(), result.p99Ms(), result.maxMs());
      System.out.println(result.toJson().encode());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
