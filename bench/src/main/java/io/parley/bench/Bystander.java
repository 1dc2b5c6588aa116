package io.parley.bench;

import io.parley.client.ParleyConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A well-behaved user during an abuse round, from 127.0.0.1 on its own Vert.x event loop (so the
 * attackers' loops cannot delay it on the bench's side): a full handshake every 1/rate s, timed and
 * closed, and on one authenticated connection a ROOM_LIST every 1/rate s, timed. At most a few are in
 * flight; a tick that finds the previous still waiting is skipped and counted, not queued.
 */
final class Bystander {
  /** A handshake not complete by then is a failure (the server's own handshake timeout is 10 s). */
  private static final long HANDSHAKE_TIMEOUT_MS = 10_000;
  private static final int MAX_HANDSHAKES_IN_FLIGHT = 4;

  /** What the bystander saw: counts and latencies (p50/p99 in ms) of its handshakes and ROOM_LISTs. */
  record Result(long handshakesOk, long handshakesFailed, double handshakeP50Ms, double handshakeP99Ms, long listsOk,
      long listsFailed, long skipped, double listP50Ms, double listP99Ms, String firstFailure) {
    void writeTo(JsonObject row) {
      row.put("bystander_handshakes", handshakesOk)
          .put("bystander_handshakes_failed", handshakesFailed)
          .put("bystander_handshake_p50_ms", handshakeP50Ms)
          .put("bystander_handshake_p99_ms", handshakeP99Ms)
          .put("bystander_room_lists", listsOk)
          .put("bystander_room_lists_failed", listsFailed)
          .put("bystander_room_list_p50_ms", listP50Ms)
          .put("bystander_room_list_p99_ms", listP99Ms)
          .put("bystander_skipped", skipped);
      if (firstFailure != null) {
        row.put("bystander_first_failure", firstFailure);
      }
    }
  }

  private final Vertx vertx;
  private final Loops loop;
  private final Target target;
  private final Population.Account account;
  private final long periodMs;
  // Everything below is touched only on the bystander's event loop.
  private final Latencies handshakes = new Latencies();
  private final Latencies lists = new Latencies();
  private final List<Future<?>> inFlight = new ArrayList<>();
  private long handshakesFailed;
  private long listsFailed;
  private long skipped;
  private int handshakesInFlight;
  private boolean listInFlight;
  private String firstFailure;
  private Client client;
  private long handshakeTimer = -1;
  private long listTimer = -1;

  /** {@code vertx}: the bystander's own instance with one event loop, {@code loop} its context. */
  Bystander(Vertx vertx, Loops loop, Target target, Population.Account account, double ratePerSecond) {
    this.vertx = vertx;
    this.loop = loop;
    this.target = target;
    this.account = account;
    this.periodMs = Math.max(1, Math.round(1000 / Math.max(0.01, ratePerSecond)));
  }

  /** Authenticates its connection (blocking; call from the main thread), then starts both loops. */
  void start() throws Exception {
    client = Loops.await(Client.resumeWithRetries(vertx, loop, target, account, 0, 1), 60);
    Loops.await(loop.on(0, () -> {
      handshakeTimer = vertx.setPeriodic(periodMs, t -> handshake());
      listTimer = vertx.setPeriodic(periodMs, t -> roomList());
      return Future.succeededFuture();
    }), 30);
  }

  private void handshake() {
    if (handshakesInFlight >= MAX_HANDSHAKES_IN_FLIGHT) {
      skipped++;
      return;
    }
    handshakesInFlight++;
    long t0 = System.nanoTime();
    Promise<Void> done = Promise.promise();
    inFlight.add(done.future());
    long timeout = vertx.setTimer(HANDSHAKE_TIMEOUT_MS, t -> done.tryFail("no CONN_OK within " + HANDSHAKE_TIMEOUT_MS + " ms"));
    target.connect(vertx, UUID.randomUUID()).onComplete(connected -> {
      vertx.cancelTimer(timeout);
      if (connected.succeeded()) {
        if (done.tryComplete()) {
          handshakes.record(System.nanoTime() - t0);
        }
        connected.result().close();
      } else {
        done.tryFail(connected.cause());
      }
    });
    done.future().onComplete(outcome -> {
      handshakesInFlight--;
      inFlight.remove(done.future());
      if (outcome.failed()) {
        handshakesFailed++;
        noteFailure("handshake: " + outcome.cause());
      }
    });
  }

  private void roomList() {
    if (listInFlight) {
      skipped++;
      return;
    }
    listInFlight = true;
    long t0 = System.nanoTime();
    Future<?> reply = client.rooms.roomList();
    inFlight.add(reply);
    reply.onComplete(outcome -> {
      listInFlight = false;
      inFlight.remove(reply);
      if (outcome.succeeded()) {
        lists.record(System.nanoTime() - t0);
      } else {
        listsFailed++;
        noteFailure("ROOM_LIST: " + outcome.cause());
      }
    });
  }

  private void noteFailure(String failure) {
    if (firstFailure == null) {
      firstFailure = failure;
    }
  }

  /** Stops both loops, waits for what is in flight and closes the connection (blocking). */
  Result stop() throws Exception {
    Future<Void> settled = loop.on(0, () -> {
      vertx.cancelTimer(handshakeTimer);
      vertx.cancelTimer(listTimer);
      return Future.join(List.copyOf(inFlight)).<Void>mapEmpty().otherwiseEmpty();
    });
    Loops.await(settled, 60);
    ParleyConnection connection = client.connection;
    Loops.await(loop.on(0, () -> connection.close().otherwiseEmpty()), 30);
    return Loops.await(loop.on(0, () -> Future.succeededFuture(new Result(
        handshakes.count(), handshakesFailed, handshakes.percentileMs(50), handshakes.percentileMs(99),
        lists.count(), listsFailed, skipped, lists.percentileMs(50), lists.percentileMs(99), firstFailure))), 30);
  }
}
