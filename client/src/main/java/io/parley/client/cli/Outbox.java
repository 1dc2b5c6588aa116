package io.parley.client.cli;

import static io.parley.client.cli.ParleyCli.await;

import io.parley.client.ParleyStatusException;
import io.parley.client.e2e.ParleyChat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Messages typed in the interactive chat, on their way to the server. Each is written to {@code
 * outbox.json} in the device's state directory (mode 600) before it is sent, so a message typed
 * while the server is unreachable is kept — across a restart of the client too — shown as pending,
 * and sent when the connection is back; then it is marked sent (it leaves the file) or, when the
 * server refuses it, failed with the reason. Sends run one at a time on their own thread, in the
 * order typed, so typing never waits for the network.
 *
 * <p>Each entry carries the request id it is sent under, chosen when it is typed and kept in the
 * file. The server stores a message once per (user, device, request id), so a send whose outcome is
 * unknown (the connection broke while it was in flight, the client was killed) is simply sent again
 * with the same id: if the first attempt arrived, the server stores nothing new and answers with the
 * first event.
 */
final class Outbox implements AutoCloseable {
  static final String FILE = "outbox.json";

  private final ParleyChat chat;
  private final Path file;
  private final Consumer<String> say;
  private final Consumer<Throwable> describeAndSay;
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "parley-outbox");
    thread.setDaemon(true);
    return thread;
  });
  private final Consumer<ParleyChat.Sent> sentListener;
  private final List<Pending> pending = new ArrayList<>();
  /** Messages the person was told are pending: they hear again when each is sent. */
  private final Set<UUID> announced = ConcurrentHashMap.newKeySet();
  private volatile boolean connected = true;

  /** A typed message not yet acknowledged, and the request id every attempt to send it uses. */
  record Pending(UUID id, UUID room, String text, Instant typed, String requestId) {
    static Pending typed(UUID room, String text) {
      UUID id = UUID.randomUUID();
      return new Pending(id, room, text, Instant.now(), "outbox-" + id);
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("room", room.toString()).put("text", text)
          .put("typed", typed.toString()).put("request", requestId);
    }

    static Pending fromJson(JsonObject json) {
      UUID id = UUID.fromString(json.getString("id"));
      return new Pending(id, UUID.fromString(json.getString("room")), json.getString("text"),
          Instant.parse(json.getString("typed")), json.getString("request", "outbox-" + id));
    }
  }

  /**
   * @param describeAndSay tells the person why a message was refused
   * @param sentListener each acknowledged send (for warnings about devices it was not sealed for)
   */
  Outbox(ParleyChat chat, Consumer<String> say, Consumer<Throwable> describeAndSay, Consumer<ParleyChat.Sent> sentListener) throws IOException {
    this.chat = chat;
    this.file = chat.home().dir().resolve(FILE);
    this.say = say;
    this.describeAndSay = describeAndSay;
    this.sentListener = sentListener;
    if (Files.exists(file)) {
      for (Object entry : new JsonArray(Files.readString(file, StandardCharsets.UTF_8))) {
        Pending kept = Pending.fromJson((JsonObject) entry);
        pending.add(kept);
        announced.add(kept.id());
      }
    }
  }

  /**
   * Keeps {@code text} and sends it now if connected, else when the connection is back. The returned
   * future completes when the attempt is over (it is complete at once when not connected).
   */
  Future<?> submit(UUID room, String text) {
    Pending message = Pending.typed(room, text);
    synchronized (pending) {
      pending.add(message);
      save();
    }
    if (connected) {
      return sender.submit(this::sendAll);
    }
    announcePending(message);
    return CompletableFuture.completedFuture(null);
  }

  /** Messages kept from an earlier session are sent before anything else is read. */
  void sendLeftovers() throws Exception {
    int count = size();
    if (count > 0) {
      say.accept("(sending " + count + " message" + (count == 1 ? "" : "s") + " typed earlier)");
      sender.submit(this::sendAll).get(ParleyCli.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  void connectionChanged(ParleyChat.ConnectionState state) {
    connected = state == ParleyChat.ConnectionState.CONNECTED;
    if (connected && size() > 0) {
      sender.execute(this::sendAll);
    }
  }

  int size() {
    synchronized (pending) {
      return pending.size();
    }
  }

  /** One line per pending message, for /outbox. */
  List<String> describe() {
    synchronized (pending) {
      return pending.stream().map(p -> "pending since " + Render.clock(p.typed()) + ": \"" + Render.excerpt(p.text()) + "\"").toList();
    }
  }

  /** In order; stops at the first message whose outcome is unknown (the connection is gone again). */
  private void sendAll() {
    while (true) {
      Pending next;
      synchronized (pending) {
        if (pending.isEmpty()) {
          return;
        }
        next = pending.get(0);
      }
      try {
        ParleyChat.Sent sent = await(chat.send(next.room(), next.text(), next.requestId()));
        sentListener.accept(sent);
        if (announced.remove(next.id())) {
          say.accept("(sent: \"" + Render.excerpt(next.text()) + "\" as [" + sent.seq() + "])");
        }
        remove(next);
      } catch (ParleyStatusException refused) {
        remove(next);
        announced.remove(next.id());
        say.accept("(failed, not sent: \"" + Render.excerpt(next.text()) + "\")");
        describeAndSay.accept(refused);
      } catch (Exception unknownOutcome) {
        announcePending(next);
        return;
      }
    }
  }

  private void announcePending(Pending message) {
    if (announced.add(message.id())) {
      say.accept("(pending: \"" + Render.excerpt(message.text()) + "\" is kept and sent when the connection is back)");
    }
  }

  private void remove(Pending message) {
    synchronized (pending) {
      pending.removeIf(p -> p.id().equals(message.id()));
      save();
    }
  }

  /** Atomically, readable by this user only: the file holds plaintext until it is sent. */
  private void save() {
    JsonArray entries = new JsonArray();
    pending.forEach(p -> entries.add(p.toJson()));
    try {
      Path tmp = Files.createTempFile(file.getParent(), ".outbox-", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, entries.encodePrettily(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Before exiting: waits (at most {@code timeoutMs}) for the sends already under way, then says what
   * is still kept for next time.
   */
  void finish(long timeoutMs) {
    if (connected) {
      try {
        sender.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // Whatever is left stays in the file; the count below says so.
      }
    }
    int left = size();
    if (left > 0) {
      say.accept("(" + left + " message" + (left == 1 ? " is" : "s are") + " not sent yet: kept in " + file + " and sent the next time parley starts)");
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
  }
}
