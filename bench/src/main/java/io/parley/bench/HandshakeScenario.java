package io.parley.bench;

import io.parley.client.ClientOptions;
import io.parley.client.ParleyClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Complete encrypted handshakes per second: connect → CONN_INIT → CONN_ENCRYPT_S → CONN_ENCRYPT_C →
 * encrypted CONN_OK → close, from {@code concurrency} closed loops, until the duration or the count
 * runs out (whichever first). Counts only handshakes that reached CONN_OK with the pinned identity.
 */
final class HandshakeScenario {

  record Settings(String host, int port, int concurrency, Duration duration, long maxCount, String fingerprint) {}

  record Result(long completed, long failed, double seconds, double perSecond, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
    JsonObject toJson() {
      return new JsonObject()
          .put("scenario", "handshake")
          .put("completed", completed)
          .put("failed", failed)
          .put("seconds", seconds)
          .put("per_second", perSecond)
          .put("p50_ms", p50Ms)
          .put("p90_ms", p90Ms)
          .put("p99_ms", p99Ms)
          .put("max_ms", maxMs);
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final Latencies latencies = new Latencies();
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private long deadlineNanos;

  HandshakeScenario(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  Future<Result> run() {
    long begin = System.nanoTime();
    deadlineNanos = begin + settings.duration().toNanos();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < settings.concurrency(); i++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> loop(done));
      loops.add(done.future());
    }
    return Future.all(loops)
        .map(
            all -> {
              double seconds = (System.nanoTime() - begin) / 1e9;
              synchronized (latencies) {
                long completed = latencies.count();
                return new Result(
                    completed,
                    failed.get(),
                    seconds,
                    completed / seconds,
                    latencies.percentileMs(50),
                    latencies.percentileMs(90),
                    latencies.percentileMs(99),
                    latencies.percentileMs(100));
              }
            });
  }

  private void loop(Promise<Void> done) {
    if (System.nanoTime() >= deadlineNanos || started.incrementAndGet() > settings.maxCount()) {
      done.complete();
      return;
    }
    ClientOptions options =
        ClientOptions.tcp(settings.host(), settings.port(), UUID.randomUUID())
            .withPinnedFingerprint(settings.fingerprint())
            .withKnownServersFile(Path.of("/dev/null"));
    long t0 = System.nanoTime();
    ParleyClient.connect(vertx, options)
        .compose(
            connection -> {
              long elapsed = System.nanoTime() - t0;
              synchronized (latencies) {
                latencies.record(elapsed);
              }
              return connection.close();
            })
        .onComplete(
            outcome -> {
              if (outcome.failed()) {
                failed.incrementAndGet();
              }
              loop(done);
            });
  }
}
