package io.parley.client;

import io.parley.shared.channel.ChannelExhaustedException;
import io.parley.shared.channel.RecordException;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.Replies;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An established, encrypted connection to a Parley gateway. Requests are matched to replies by their
 * {@code id}, so many can be in flight at once; packets without an id (room events, a closing
 * STATUS) go to the push listeners. Safe to use from any thread.
 *
 * <p>Over a packet budget the server drops packets and says so once, with an id-less
 * {@code STATUS RATE_LIMITED {retry_after_ms}} (docs/protocol.md §7). The connection cannot know
 * which of its unanswered requests were dropped, so from {@code retry_after_ms} on it sends every
 * request still waiting again, with the same id, one at a time at the pace the budget admits, new
 * requests behind them ({@link ResendPacer}): the server treats a repeated id from the same device
 * as the same request, and a second reply to an id already answered is ignored.
 */
public final class ParleyConnection {
  private final FrameLink link;
  private final SecureChannel channel;
  private final PacketCodec codec;
  private final ClientOptions options;
  private final ServerPinning.Verdict verdict;
  private final Map<String, Promise<Envelope>> pending = new ConcurrentHashMap<>();
  /** The packet of each pending request, resent at the budget's pace after a RATE_LIMITED notice. */
  private final ResendPacer unanswered;
  private final CopyOnWriteArrayList<Handler<Envelope>> pushListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong nextId = new AtomicLong();
  /**
   * The server deduplicates requests by (device, id) across connections, so ids must never repeat
   * for a device: a random prefix per connection keeps a restarted client from reusing old ids.
   */
  private final String idPrefix = Long.toString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE, 36) + "-";
  private final Promise<CloseInfo> closed = Promise.promise();
  private volatile Envelope lastStatusWithoutId;

  /** Why the connection ended: the server's last unsolicited STATUS, if it sent one, and the transport reason. */
  public record CloseInfo(Optional<Envelope> serverStatus, String transportReason) {}

  ParleyConnection(FrameLink link, SecureChannel channel, PacketCodec codec, ClientOptions options, ServerPinning.Verdict verdict) {
    this.link = link;
    this.channel = channel;
    this.codec = codec;
    this.options = options;
    this.verdict = verdict;
    this.unanswered = new ResendPacer((delayMs, task) -> link.vertx().setTimer(delayMs, t -> task.run()), this::resend);
    link.onFrame(this::onRecord);
    link.onClose(this::onClosed);
  }

  /** The server identity fingerprint this connection proved. */
  public String serverFingerprint() {
    return verdict.fingerprint();
  }

  /** True when this was the first connection to this server and its fingerprint was just remembered. */
  public boolean trustedOnFirstUse() {
    return verdict.firstUse();
  }

  public ClientOptions options() {
    return options;
  }

  /** The Vert.x instance this connection runs on. */
  public Vertx vertx() {
    return link.vertx();
  }

  /** Sends {@code type} with {@code data} and completes with the reply carrying the same id. */
  public Future<Envelope> request(PacketType type, JsonObject data) {
    return request(new Envelope(type.wireName(), null, data));
  }

  /**
   * Sends a packet and awaits its reply. A packet without an id gets a fresh one; a packet with an id
   * keeps it (a retry with the same id is idempotent on the server).
   */
  public Future<Envelope> request(Envelope packet) {
    String id = packet.id() != null ? packet.id() : idPrefix + nextId.incrementAndGet();
    Promise<Envelope> reply = Promise.promise();
    if (pending.putIfAbsent(id, reply) != null) {
      return Future.failedFuture(new IllegalStateException("a request with id " + id + " is already in flight"));
    }
    Envelope withId = packet.withId(id);
    try {
      if (unanswered.admit(id, withId)) {
        send(withId);
      }
    } catch (ChannelExhaustedException e) {
      pending.remove(id);
      unanswered.forget(id);
      return Future.failedFuture(e);
    }
    long timer =
        link.vertx().setTimer(
            options.requestTimeoutMs(),
            t -> {
              Promise<Envelope> expired = pending.remove(id);
              unanswered.forget(id);
              if (expired != null) {
                expired.tryFail(new TimeoutException("no reply to " + packet.type() + " id " + id + " within " + options.requestTimeoutMs() + " ms"));
              }
            });
    return reply.future().onComplete(done -> link.vertx().cancelTimer(timer));
  }

  /** Sends a packet without waiting for anything. */
  public void send(Envelope packet) throws ChannelExhaustedException {
    byte[] plaintext = codec.encode(packet);
    // Sealing assigns the record's sequence number, so seal and write must happen in the same order.
    synchronized (channel) {
      link.sendRecord(channel.seal(plaintext));
    }
  }

  /** Listens to packets the server sends without being asked (room events, a closing STATUS). */
  public ParleyConnection onPush(Handler<Envelope> listener) {
    pushListeners.add(listener);
    return this;
  }

  /** Completes when the connection is closed, by either side. */
  public Future<CloseInfo> closed() {
    return closed.future();
  }

  public Future<Void> close() {
    return link.close();
  }

  private void onRecord(byte[] record) {
    Envelope packet;
    try {
      packet = codec.decode(channel.open(record));
    } catch (RecordException | MalformedPacketException | RuntimeException e) {
      // The server's stream can no longer be trusted.
      link.close();
      return;
    }
    if (packet.id() != null) {
      Promise<Envelope> waiting = pending.remove(packet.id());
      unanswered.forget(packet.id());
      if (waiting != null) {
        waiting.tryComplete(packet);
      }
      // A second reply to a resent request finds nothing waiting: it is not a push.
      return;
    }
    if (packet.statusCode().filter(StatusCode.RATE_LIMITED::equals).isPresent()
        && packet.data().getValue(Replies.RETRY_AFTER_MS) instanceof Number retryAfter) {
      unanswered.rateLimited(Math.max(1, retryAfter.longValue()));
      return;
    }
    if (packet.is(PacketType.STATUS)) {
      lastStatusWithoutId = packet;
    }
    for (Handler<Envelope> listener : pushListeners) {
      listener.handle(packet);
    }
  }

  /** A paced resend; an exhausted channel ends the pacing, since the server closes with RECONNECT. */
  private void resend(Envelope packet) {
    try {
      send(packet);
    } catch (ChannelExhaustedException e) {
      throw new IllegalStateException("the channel is exhausted; pending requests fail when it closes", e);
    }
  }

  private void onClosed(String reason) {
    unanswered.clear();
    ConnectionClosedException failure = new ConnectionClosedException(reason, lastStatusWithoutId);
    pending.values().forEach(promise -> promise.tryFail(failure));
    pending.clear();
    closed.tryComplete(new CloseInfo(Optional.ofNullable(lastStatusWithoutId), reason));
  }
}
