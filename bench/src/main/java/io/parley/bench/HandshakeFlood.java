package io.parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Handshakes as fast as the server answers them, {@code concurrency} in flight: connect, CONN_INIT,
 * wait for CONN_ENCRYPT_S (a signature and a key pair on the server, almost nothing here) and leave.
 * Every other connection is closed at once; the rest are abandoned — left open with the handshake
 * pending, up to {@code maxAbandoned} at a time — so the server's limits on handshakes in progress
 * are exercised too, not only its CPU.
 */
final class HandshakeFlood implements Attack {
  /** A CONN_INIT unanswered for this long is given up (closed) and the worker moves on. */
  private static final long ANSWER_TIMEOUT_MS = 10_000;

  private final Env env;
  private final SourceAddresses sources;
  private final Tally tally;
  private final AtomicLong attempts;
  private final int concurrency;
  private final int maxAbandoned;
  private final AtomicInteger abandonedOpen = new AtomicInteger();
  /** Per worker, touched only on the worker's loop. */
  private final List<Set<RawConnection>> abandoned = new ArrayList<>();
  private final List<Future<Void>> workers = new ArrayList<>();
  private volatile boolean running;

  HandshakeFlood(Env env, SourceAddresses sources, Tally tally, AtomicLong attempts, int concurrency, int maxAbandoned) {
    this.env = env;
    this.sources = sources;
    this.tally = tally;
    this.attempts = attempts;
    this.concurrency = concurrency;
    this.maxAbandoned = maxAbandoned;
  }

  @Override
  public void start() {
    running = true;
    for (int w = 0; w < concurrency; w++) {
      Set<RawConnection> mine = new HashSet<>();
      abandoned.add(mine);
      int worker = w;
      workers.add(env.loops().on(worker, () -> {
        Promise<Void> done = Promise.promise();
        next(mine, done);
        return done.future();
      }));
    }
  }

  private void next(Set<RawConnection> mine, Promise<Void> done) {
    if (!running) {
      done.tryComplete();
      return;
    }
    long attempt = attempts.getAndIncrement();
    tally.add("handshakes_started");
    RawConnection.open(sources.forConnection(attempt), env.target())
        .onFailure(failure -> tally.connectFailed())
        .compose(connection -> {
          connection.ended().onSuccess(tally::ended);
          long timer = env.vertx().setTimer(ANSWER_TIMEOUT_MS, t -> connection.close());
          return connection.toServerKey(UUID.randomUUID())
              .onComplete(answered -> env.vertx().cancelTimer(timer))
              .onSuccess(v -> leave(connection, attempt, mine))
              .onFailure(refused -> {
                if (connection.isOpen()) {
                  connection.close();
                }
              });
        })
        // Always through the loop's queue: a server refusing at accept must not recurse this stack.
        .onComplete(outcome -> env.vertx().getOrCreateContext().runOnContext(v -> next(mine, done)));
  }

  private void leave(RawConnection connection, long attempt, Set<RawConnection> mine) {
    tally.add("server_keys");
    if (attempt % 2 == 1 && abandonedOpen.incrementAndGet() <= maxAbandoned) {
      tally.add("abandoned");
      mine.add(connection);
      connection.ended().onComplete(ended -> {
        mine.remove(connection);
        abandonedOpen.decrementAndGet();
      });
    } else {
      if (attempt % 2 == 1) {
        abandonedOpen.decrementAndGet();
      }
      connection.close();
    }
  }

  @Override
  public Future<Long> stop() {
    running = false;
    List<Future<Long>> closing = new ArrayList<>();
    for (int w = 0; w < workers.size(); w++) {
      Set<RawConnection> mine = abandoned.get(w);
      Future<Void> worker = workers.get(w);
      closing.add(env.loops().on(w, () -> worker.compose(done -> {
        long open = mine.stream().filter(RawConnection::isOpen).count();
        List.copyOf(mine).forEach(RawConnection::close);
        return Future.succeededFuture(open);
      })));
    }
    return Future.join(closing).map(all -> closing.stream().mapToLong(Future::result).sum());
  }

  @Override
  public void report(JsonObject row, double seconds) {
    row.put("handshakes_started", tally.get("handshakes_started"))
        .put("server_keys", tally.get("server_keys"))
        .put("server_keys_per_s", tally.get("server_keys") / seconds)
        .put("abandoned", tally.get("abandoned"));
  }
}
