package io.parley.gateway;

import io.parley.shared.channel.ClientHandshake;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately low-level TCP client for gateway tests: it can send any bytes, so tests can break
 * the protocol in exactly one place (a flipped byte, a replayed record, an oversized length).
 * Blocking waits are fine here: they run on the JUnit thread, never on an event loop.
 */
final class RawConnection implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final NetClient client;
  private final NetSocket socket;
  private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final PacketCodec codec = new PacketCodec();
  private ClientHandshake handshake;
  private SecureChannel channel;

  private RawConnection(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    FrameDecoder decoder = new FrameDecoder(16 << 20);
    socket.handler(
        chunk -> {
          try {
            decoder.feed(chunk, frame -> frames.add(frame.getBytes()));
          } catch (FrameTooLargeException e) {
            socket.close();
          }
        });
    socket.closeHandler(ignored -> closed.countDown());
  }

  static RawConnection open(Vertx vertx, int port) throws Exception {
    return open(vertx, port, "127.0.0.1");
  }

  /** Connects from {@code localAddress}, any of 127.0.0.0/8 on Linux: a distinct client address. */
  static RawConnection open(Vertx vertx, int port, String localAddress) throws Exception {
    // Keep the client referenced: Vert.x 5 closes a garbage-collected client's connections.
    NetClient client = vertx.createNetClient(new NetClientOptions().setLocalAddress(localAddress));
    // Handlers are set on the event loop as the connect completes: a server that answers at once
    // (a refusal at accept) must not find the socket without a handler yet.
    return client.connect(port, "127.0.0.1")
        .map(socket -> new RawConnection(client, socket))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  void sendFrame(byte[] payload) {
    socket.write(FrameDecoder.encode(payload));
  }

  void sendBytes(Buffer bytes) {
    socket.write(bytes);
  }

  byte[] nextFrame() throws InterruptedException {
    byte[] frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new AssertionError(
          "no frame from the server within " + WAIT + " (connection " + socket.localAddress() + " -> " + socket.remoteAddress()
              + (isClosed() ? ", closed" : ", open") + ")");
    }
    return frame;
  }

  Envelope nextPlaintextPacket() throws Exception {
    return codec.decode(nextFrame());
  }

  Envelope nextPacket() throws Exception {
    return codec.decode(channel.open(nextFrame()));
  }

  boolean awaitClosed() throws InterruptedException {
    return closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next frame, or null when the server closed the connection without sending one. */
  byte[] nextFrameOrClose() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      byte[] frame = frames.poll(50, TimeUnit.MILLISECONDS);
      if (frame != null) {
        return frame;
      }
      if (isClosed()) {
        return frames.poll();
      }
    }
    throw new AssertionError("neither a frame nor a close within " + WAIT);
  }

  boolean isClosed() {
    return closed.getCount() == 0;
  }

  /** Runs the handshake up to and including the encrypted CONN_OK. */
  Envelope handshake(UUID device) throws Exception {
    handshake = new ClientHandshake(device, new SecureRandom(), 1L << 24);
    sendFrame(handshake.init());
    handshake.onServerKey(nextFrame());
    sendFrame(handshake.clientKeyFrame());
    channel = handshake.complete();
    return nextPacket();
  }

  byte[] seal(Envelope packet) throws Exception {
    return channel.seal(codec.encode(packet));
  }

  byte[] sealBytes(byte[] plaintext) throws Exception {
    return channel.seal(plaintext);
  }

  void send(Envelope packet) throws Exception {
    sendFrame(seal(packet));
  }

  Envelope request(Envelope packet) throws Exception {
    send(packet);
    return nextPacket();
  }

  @Override
  public void close() {
    client.close();
  }
}
