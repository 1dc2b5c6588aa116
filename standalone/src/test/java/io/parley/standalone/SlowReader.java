package io.parley.standalone;

import static io.parley.standalone.TestClients.await;

import io.parley.client.Accounts;
import io.parley.client.ParleyConnection;
import io.parley.shared.channel.ClientHandshake;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AuthToken;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An authenticated member whose client stops reading its socket: the gateway must cut it off when
 * its bounded write queue fills, instead of buffering without limit.
 */
final class SlowReader implements AutoCloseable {
  private final String user;
  private final NetClient client;
  private final NetSocket socket;
  private final CountDownLatch closed = new CountDownLatch(1);

  private SlowReader(String user, NetClient client, NetSocket socket) {
    this.user = user;
    this.client = client;
    this.socket = socket;
    socket.closeHandler(ignored -> closed.countDown());
  }

  static SlowReader signUp(TestClients clients, String prefix) throws Exception {
    String user = clients.signedUpUser(prefix);
    UUID device = UUID.randomUUID();
    ParleyConnection login = clients.connect(device);
    String token = await(new Accounts(login).login(user, TestClients.PASSWORD, false, TestClients.chatKey()));
    await(login.close());

    Standalone parley = clients.parley();
    NetClient client = parley.vertx().createNetClient();
    NetSocket socket = await(client.connect(parley.tcpPort(), "127.0.0.1"));
    BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    FrameDecoder decoder = new FrameDecoder(1 << 20);
    socket.handler(chunk -> {
      try {
        decoder.feed(chunk, frame -> frames.add(frame.getBytes()));
      } catch (FrameTooLargeException e) {
        socket.close();
      }
    });
    ClientHandshake handshake = new ClientHandshake(device, new SecureRandom(), SecureChannel.DEFAULT_MAX_RECORDS);
    socket.write(FrameDecoder.encode(handshake.init()));
    handshake.onServerKey(next(frames));
    socket.write(FrameDecoder.encode(handshake.clientKeyFrame()));
    SecureChannel channel = handshake.complete();
    handshake.confirm(next(frames));
    PacketCodec codec = new PacketCodec();
    socket.write(FrameDecoder.encode(channel.seal(codec.encode(new AuthToken(user, token).toEnvelope().withId("auth")))));
    Envelope reply = codec.decode(channel.open(next(frames)));
    if (reply.statusCode().filter(StatusCode.LOGIN_OK::equals).isEmpty()) {
      throw new AssertionError("slow reader could not authenticate: " + reply.toJson());
    }
    return new SlowReader(user, client, socket);
  }

  private static byte[] next(BlockingQueue<byte[]> frames) throws InterruptedException {
    byte[] frame = frames.poll(10, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame from the server");
    }
    return frame;
  }

  String user() {
    return user;
  }

  /** From now on nothing is read from the socket: the kernel buffers fill, then the server's queue. */
  void stopReading() {
    socket.pause();
  }

  boolean disconnected() {
    return closed.getCount() == 0;
  }

  /**
   * Reads again and waits for the end of the stream: a paused socket cannot see the server close it,
   * so the disconnect shows only once the buffered data is consumed. A server that never cut the
   * reader off would keep the connection open and this returns false.
   */
  boolean resumeAndAwaitDisconnected() throws InterruptedException {
    socket.handler(chunk -> {});
    socket.resume();
    return closed.await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(client.close());
  }
}
