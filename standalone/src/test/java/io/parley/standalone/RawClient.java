package io.parley.standalone;

import io.parley.shared.channel.ClientHandshake;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketCodec;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP client below the SDK, for the few tests that must seal bytes the SDK would never produce
 * (malformed JSON inside a valid record). The SDK always encodes a well-formed envelope.
 * Blocking waits run on the JUnit thread, never on an event loop.
 */
final class RawClient implements AutoCloseable {
  private static final long WAIT_SECONDS = 10;

  private final NetClient client;
  private final NetSocket socket;
  private final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final PacketCodec codec = new PacketCodec();
  private SecureChannel channel;

  private RawClient(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    FrameDecoder decoder = new FrameDecoder(16 << 20);
    socket.handler(chunk -> {
      try {
        decoder.feed(chunk, frame -> frames.add(frame.getBytes()));
      } catch (FrameTooLargeException e) {
        socket.close();
      }
    });
    socket.closeHandler(ignored -> closed.countDown());
  }

  /** Connects and runs the handshake up to the encrypted CONN_OK. */
  static RawClient connect(Standalone parley, UUID device) throws Exception {
    // Keep the client referenced: Vert.x 5 closes a garbage-collected client's connections.
    NetClient client = parley.vertx().createNetClient();
    RawClient raw = TestClients.await(client.connect(parley.tcpPort(), "127.0.0.1").map(socket -> new RawClient(client, socket)));
    ClientHandshake handshake = new ClientHandshake(device, new SecureRandom(), 1L << 24);
    raw.sendFrame(handshake.init());
    handshake.onServerKey(raw.nextFrame());
    raw.sendFrame(handshake.clientKeyFrame());
    raw.channel = handshake.complete();
    raw.nextPacket(); // CONN_OK
    return raw;
  }

  /** Seals {@code text} as one record, whatever it holds, and sends it. */
  void sendSealed(String text) throws Exception {
    sendFrame(channel.seal(text.getBytes(StandardCharsets.UTF_8)));
  }

  Envelope nextPacket() throws Exception {
    return codec.decode(channel.open(nextFrame()));
  }

  boolean awaitClosed() throws InterruptedException {
    return closed.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private void sendFrame(byte[] payload) {
    socket.write(FrameDecoder.encode(payload));
  }

  private byte[] nextFrame() throws InterruptedException {
    byte[] frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame from the server within " + WAIT_SECONDS + " s");
    }
    return frame;
  }

  @Override
  public void close() throws Exception {
    TestClients.await(client.close());
  }
}
