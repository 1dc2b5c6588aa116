package io.parley.bench;

import io.parley.client.Messages;
import io.parley.client.ParleyStatusException;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.RoomType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A device that missed {@code events} events catches up: the reader notes its last event and goes
 * offline, the writer posts the events (each acknowledged after its commit), the reader reconnects
 * (handshake + AUTH_TOKEN) and pages through SYNC_ROOM_REQ until it holds the last one. Timed from
 * the first SYNC_ROOM_REQ to the last event in hand; the reconnect is reported beside it.
 */
final class SyncScenario {
  record Settings(int events, int runs, int inFlight, int messageBytes) {}

  private static final int MAX_RATE_LIMITED_RETRIES = 30;

  private final Env env;
  private final Settings settings;

  SyncScenario(Env env, Settings settings) {
    this.env = env;
    this.settings = settings;
  }

  JsonObject run() throws Exception {
    List<Population.Account> accounts = env.population().ensure(2, 2);
    Client writer = Loops.await(Client.resume(env.vertx(), env.loops(), env.target(), accounts.get(0), 0), 60);
    Latencies sync = new Latencies();
    Latencies withReconnect = new Latencies();
    long pages = 0;
    try {
      Client reader = Loops.await(Client.resume(env.vertx(), env.loops(), env.target(), accounts.get(1), 1), 60);
      UUID room = Loops.await(writer.rooms.createRoom(RoomType.DIRECT, null, List.of(accounts.get(1).user())), 60);
      for (int run = 0; run < settings.runs(); run++) {
        List<io.parley.shared.events.RoomEvent> latest = Loops.await(reader.messages.syncAfter(room, null, 1), 60).events();
        UUID from = latest.isEmpty() ? null : latest.get(latest.size() - 1).id();
        Loops.await(reader.connection.close(), 30);
        Loops.await(post(writer, room), 600);
        long t0 = System.nanoTime();
        reader = Loops.await(Client.resume(env.vertx(), env.loops(), env.target(), accounts.get(1), 1), 60);
        long t1 = System.nanoTime();
        int got = 0;
        UUID cursor = from;
        boolean more = true;
        while (got < settings.events() && more) {
          Messages.Page page = Loops.await(reader.messages.syncAfter(room, cursor, Math.min(Limits.SYNC_MAX_COUNT, settings.events() - got)), 60);
          pages++;
          got += page.events().size();
          more = page.more();
          if (!page.events().isEmpty()) {
            cursor = page.events().get(page.events().size() - 1).id();
          }
        }
        long t2 = System.nanoTime();
        if (got != settings.events()) {
          throw new IllegalStateException("sync returned " + got + " events, expected " + settings.events());
        }
        sync.record(t2 - t1);
        withReconnect.record(t2 - t0);
      }
      Loops.await(reader.connection.close(), 30);
    } finally {
      Loops.await(writer.connection.close(), 30);
    }
    return new JsonObject()
        .put("scenario", "sync")
        .put("events", settings.events())
        .put("runs", settings.runs())
        .put("pages", pages)
        .put("p50_ms", sync.percentileMs(50))
        .put("min_ms", sync.percentileMs(0))
        .put("max_ms", sync.percentileMs(100))
        .put("with_reconnect_p50_ms", withReconnect.percentileMs(50));
  }

  /** The writer posts the events, {@code inFlight} at a time, waiting out RATE_LIMITED replies. */
  private Future<Void> post(Client writer, UUID room) {
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    int[] finished = {0};
    int workers = Math.min(settings.inFlight(), settings.events());
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      if (next[0] >= settings.events()) {
        return;
      }
      int index = next[0]++;
      sendOne(writer, room, index, 0).onComplete(outcome -> {
        if (outcome.failed()) {
          done.tryFail(outcome.cause());
          return;
        }
        if (++finished[0] == settings.events()) {
          done.tryComplete();
        } else {
          pump[0].run();
        }
      });
    };
    env.loops().context(writer.loop).runOnContext(v -> {
      for (int i = 0; i < workers; i++) {
        pump[0].run();
      }
    });
    return done.future();
  }

  private Future<Messages.Ack> sendOne(Client writer, UUID room, int index, int attempt) {
    byte[] content = new byte[Math.max(8, settings.messageBytes())];
    java.nio.ByteBuffer.wrap(content).putInt(index);
    return writer.messages.send(room, Base64.getEncoder().encodeToString(content)).recover(failure -> {
      boolean limited = failure instanceof ParleyStatusException status && status.code().orElse(null) == StatusCode.RATE_LIMITED;
      if (!limited || attempt >= MAX_RATE_LIMITED_RETRIES) {
        return Future.failedFuture(failure);
      }
      Promise<Void> later = Promise.promise();
      env.vertx().setTimer(1000, t -> later.complete());
      return later.future().compose(v -> sendOne(writer, room, index, attempt + 1));
    });
  }
}
