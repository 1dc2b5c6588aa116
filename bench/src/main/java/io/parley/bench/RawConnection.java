package io.parley.bench;

import io.parley.client.ClientOptions;
import io.parley.shared.channel.ChannelExhaustedException;
import io.parley.shared.channel.ClientHandshake;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.parley.shared.channel.RecordException;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.channel.ServerHello;
import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * One TCP connection the bench drives by hand, so it can do what the SDK never would: stop after any
 * handshake frame, announce a frame and not send it, trickle bytes, flood records. It speaks the
 * protocol through the same shared pieces as the SDK ({@link FrameDecoder}, {@link ClientHandshake},
 * {@link SecureChannel}, {@link PacketCodec}) and records how the connection ended, which is what the
 * abuse scenario is about: did the server close it, and did it say why with a STATUS first?
 *
 * <p>Not thread-safe: open it on the event loop that should own it and use it only from there.
 */
final class RawConnection {
  /** A close within this time of connecting, with nothing received, is counted as refused at accept. */
  static final long AT_ACCEPT_MS = 1000;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final PacketCodec CODEC = new PacketCodec();

  /**
   * How a connection ended. {@code byServer} is false when the bench closed it. {@code status} is the
   * STATUS the server sent just before closing (a STATUS without a request id as the last frame), or
   * null: a server close with a null status is a silent close.
   */
  record Ending(boolean byServer, StatusCode status, boolean encrypted, int framesReceived, long lifetimeMs) {
    boolean silent() {
      return byServer && status == null;
    }

    boolean atAccept() {
      return silent() && framesReceived == 0 && lifetimeMs < AT_ACCEPT_MS;
    }
  }

  private enum Phase { CONNECTED, AWAITING_SERVER_KEY, AWAITING_CONN_OK, OPEN }

  private final NetSocket socket;
  private final String fingerprint;
  private final long openedNanos = System.nanoTime();
  private final FrameDecoder decoder = new FrameDecoder(ClientOptions.DEFAULT_MAX_FRAME_BYTES);
  private final Promise<Ending> ended = Promise.promise();
  private Phase phase = Phase.CONNECTED;
  private ClientHandshake handshake;
  private SecureChannel channel;
  private Promise<Void> step;
  private Handler<Envelope> packets = packet -> {};
  private StatusCode lastStatus;
  private boolean lastStatusEncrypted;
  private int framesReceived;
  private boolean closedByUs;

  private RawConnection(NetSocket socket, String fingerprint) {
    this.socket = socket;
    this.fingerprint = fingerprint;
    socket.handler(chunk -> {
      try {
        decoder.feed(chunk, frame -> onFrame(frame.getBytes()));
      } catch (FrameTooLargeException e) {
        close();
      }
    });
    // A reset is reported here and then as a close; the close decides how it is counted.
    socket.exceptionHandler(failure -> {});
    socket.closeHandler(v -> onClosed());
  }

  /** Connects with {@code client} (bound to a source address) from the calling event loop. */
  static Future<RawConnection> open(NetClient client, Target target) {
    return client.connect(target.port(), target.host()).map(socket -> new RawConnection(socket, target.fingerprint()));
  }

  /** Completes when the connection is closed, by either side. */
  Future<Ending> ended() {
    return ended.future();
  }

  /** Neither side has closed it yet. */
  boolean isOpen() {
    return !closedByUs && !ended.future().isComplete();
  }

  /** Writes raw bytes, framed or not: the caller decides how wrong they are. */
  void write(Buffer bytes) {
    socket.write(bytes);
  }

  boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  void onDrain(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  /** Packets received on the established channel (replies and pushes). */
  void onPacket(Handler<Envelope> handler) {
    this.packets = handler;
  }

  /** A fresh CONN_INIT frame with its length prefix, as {@link #toServerKey} would send it. */
  static Buffer connInitFrame(UUID device) {
    return FrameDecoder.encode(new ClientHandshake(device, RANDOM, SecureChannel.DEFAULT_MAX_RECORDS).init());
  }

  /** CONN_INIT → CONN_ENCRYPT_S, verified and pinned; fails on a STATUS or a close instead. */
  Future<Void> toServerKey(UUID device) {
    handshake = new ClientHandshake(device, RANDOM, SecureChannel.DEFAULT_MAX_RECORDS);
    phase = Phase.AWAITING_SERVER_KEY;
    step = Promise.promise();
    socket.write(FrameDecoder.encode(handshake.init()));
    return step.future();
  }

  /** CONN_ENCRYPT_C → the server's encrypted CONN_OK; after {@link #toServerKey}. */
  Future<Void> finishHandshake() {
    try {
      socket.write(FrameDecoder.encode(handshake.clientKeyFrame()));
      channel = handshake.complete();
    } catch (HandshakeException e) {
      close();
      return Future.failedFuture(e);
    }
    phase = Phase.AWAITING_CONN_OK;
    step = Promise.promise();
    return step.future();
  }

  /** The whole handshake, as a well-behaved client does it. */
  Future<Void> handshake(UUID device) {
    return toServerKey(device).compose(v -> finishHandshake());
  }

  /** A sealed record holding {@code packet}, with its length prefix, not sent: to trickle or to send. */
  Buffer sealedFrame(Envelope packet) throws ChannelExhaustedException {
    return FrameDecoder.encode(channel.seal(CODEC.encode(packet)));
  }

  /** Seals and sends one packet on the established channel. */
  void send(Envelope packet) throws ChannelExhaustedException {
    socket.write(sealedFrame(packet));
  }

  /** Closes from the bench's side; such an ending is never counted against the server. */
  Future<Void> close() {
    closedByUs = true;
    return socket.close();
  }

  private void onFrame(byte[] frame) {
    framesReceived++;
    lastStatus = null;
    try {
      switch (phase) {
        case CONNECTED, AWAITING_SERVER_KEY, AWAITING_CONN_OK -> {
          // Until CONN_OK the server reports failures in plaintext (docs/protocol.md §2.6).
          StatusCode refusal = plaintextStatus(frame);
          if (refusal != null) {
            lastStatus = refusal;
            lastStatusEncrypted = false;
            fail(new HandshakeException("server sent STATUS " + refusal));
          } else if (phase == Phase.AWAITING_SERVER_KEY) {
            ServerHello hello = handshake.onServerKey(frame);
            hello.requireFingerprint(fingerprint);
            phase = Phase.CONNECTED;
            step.tryComplete();
          } else if (phase == Phase.AWAITING_CONN_OK) {
            handshake.confirm(frame);
            phase = Phase.OPEN;
            step.tryComplete();
          }
        }
        case OPEN -> onRecord(frame);
      }
    } catch (HandshakeException | RecordException | MalformedPacketException | RuntimeException e) {
      fail(e);
      close();
    }
  }

  private void onRecord(byte[] record) throws RecordException, MalformedPacketException {
    Envelope packet = CODEC.decode(channel.open(record));
    if (packet.id() == null && packet.is(PacketType.STATUS)) {
      lastStatus = packet.statusCode().orElse(null);
      lastStatusEncrypted = true;
    }
    packets.handle(packet);
  }

  private static StatusCode plaintextStatus(byte[] frame) {
    try {
      Envelope envelope = CODEC.decode(frame);
      return envelope.is(PacketType.STATUS) ? envelope.statusCode().orElse(StatusCode.INTERNAL_ERROR) : null;
    } catch (MalformedPacketException | RuntimeException e) {
      return null;
    }
  }

  private void fail(Throwable cause) {
    if (step != null) {
      step.tryFail(cause);
    }
  }

  private void onClosed() {
    fail(new HandshakeException("the server closed the connection"));
    long lifetimeMs = (System.nanoTime() - openedNanos) / 1_000_000;
    ended.tryComplete(new Ending(!closedByUs, lastStatus, lastStatusEncrypted, framesReceived, lifetimeMs));
  }
}
