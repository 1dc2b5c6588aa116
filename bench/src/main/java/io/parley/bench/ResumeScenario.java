package io.parley.bench;

import io.parley.client.Accounts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AUTH_TOKEN resumes per second on fresh connections: connect → handshake → AUTH_TOKEN → LOGIN_OK →
 * close, from {@code concurrency} closed loops over cached accounts, until the duration or the count
 * runs out. Reports the whole resume's latency and the AUTH_TOKEN round trip alone.
 */
final class ResumeScenario {
  record Settings(int accounts, int concurrency, double durationS, long maxCount) {}

  private final Env env;
  private final Settings settings;
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Latencies total = new Latencies();
  private final Latencies authOnly = new Latencies();
  private volatile Throwable firstFailure;
  private List<Population.Account> accounts;
  private long deadline;

  ResumeScenario(Env env, Settings settings) {
    this.env = env;
    this.settings = settings;
  }

  JsonObject run() throws Exception {
    accounts = env.population().ensure(settings.accounts(), 32);
    long[] cpuBefore = env.probe().cpuSnapshot();
    long begin = System.nanoTime();
    deadline = begin + (long) (settings.durationS() * 1e9);
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < settings.concurrency(); i++) {
      Promise<Void> done = Promise.promise();
      int loop = i;
      env.loops().context(loop).runOnContext(v -> next(loop, done));
      loops.add(done.future());
    }
    Loops.await(Future.all(loops), (long) settings.durationS() + 120);
    double seconds = (System.nanoTime() - begin) / 1e9;
    long[] cpuAfter = env.probe().cpuSnapshot();
    synchronized (total) {
      JsonObject row = new JsonObject()
          .put("scenario", "resume")
          .put("completed", total.count())
          .put("failed", failed.get())
          .put("per_sec", total.count() / seconds)
          .put("p50_ms", total.percentileMs(50))
          .put("p90_ms", total.percentileMs(90))
          .put("p99_ms", total.percentileMs(99))
          .put("max_ms", total.percentileMs(100))
          .put("auth_p50_ms", authOnly.percentileMs(50))
          .put("auth_p99_ms", authOnly.percentileMs(99))
          .put("cpu_pct", env.probe().cpuPercent(cpuBefore, cpuAfter, seconds));
      if (firstFailure != null) {
        row.put("first_failure", String.valueOf(firstFailure));
      }
      return row;
    }
  }

  private void next(int loop, Promise<Void> done) {
    long n = started.incrementAndGet();
    if (System.nanoTime() >= deadline || n > settings.maxCount()) {
      done.complete();
      return;
    }
    Population.Account account = accounts.get((int) (n % accounts.size()));
    long t0 = System.nanoTime();
    env.target().connect(env.vertx(), account.device())
        .compose(connection -> {
          long t1 = System.nanoTime();
          return new Accounts(connection).resume(account.user(), account.token())
              .onSuccess(ok -> {
                long t2 = System.nanoTime();
                synchronized (total) {
                  total.record(t2 - t0);
                  authOnly.record(t2 - t1);
                }
              })
              .eventually(connection::close);
        })
        .onComplete(outcome -> {
          if (outcome.failed()) {
            failed.incrementAndGet();
            if (firstFailure == null) {
              firstFailure = outcome.cause();
            }
          }
          next(loop, done);
        });
  }
}
