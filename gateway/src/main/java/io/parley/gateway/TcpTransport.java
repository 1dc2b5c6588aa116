package io.parley.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.parley.shared.protocol.Limits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * TCP: every frame is a 4-byte big-endian length, then the payload. A declared length over the limit
 * closes the connection before any of the payload is read (DESIGN §2); until the handshake is done
 * the limit is the handshake frame limit, not the general one.
 */
final class TcpTransport extends SocketTransport {
  /** How long a closed connection's input is still drained after our FIN, at most. */
  static final long LINGER_MS = 2_000;

  private final NetSocket socket;
  private final int maxFrameBytes;
  private FrameDecoder decoder;

  private TcpTransport(NetSocket socket, GatewaySettings settings) {
    this.socket = socket;
    this.maxFrameBytes = settings.maxFrameBytes();
    this.decoder = new FrameDecoder(Math.min(Limits.HANDSHAKE_FRAME_MAX_BYTES, maxFrameBytes));
    socket.setWriteQueueMaxSize(settings.writeQueueMaxBytes());
  }

  static void attach(NetSocket socket, GatewaySettings settings, SessionFactory sessions, ConnectionLimits.Ticket ticket) {
    TcpTransport transport = new TcpTransport(socket, settings);
    Session session = sessions.open(transport, ticket);
    socket.handler(chunk -> transport.onBytes(session, chunk));
    socket.closeHandler(ignored -> session.onTransportClosed());
    socket.exceptionHandler(failure -> transport.onError(session, failure));
  }

  private void onBytes(Session session, Buffer chunk) {
    FrameDecoder current = decoder;
    if (current == null) {
      return; // closing: what the peer still sends is not kept
    }
    try {
      current.feed(chunk, frame -> session.onFrame(frame.getBytes()));
    } catch (FrameTooLargeException e) {
      session.closeWith(
          Refusal.FRAME_TOO_LARGE, "frame of " + e.declaredLength() + " bytes is over the limit of " + e.maxFrameBytes());
      return;
    }
    if (decoder != null) {
      session.onPartialFrame(decoder.retainedBytes());
    }
  }

  @Override
  public void onHandshakeComplete() {
    if (decoder != null) {
      decoder.maxFrameBytes(maxFrameBytes);
    }
  }

  @Override
  public void sendHandshakeFrame(byte[] frame) {
    socket.write(FrameDecoder.encode(frame));
  }

  @Override
  public void sendRecord(byte[] record) {
    socket.write(FrameDecoder.encode(record));
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  protected void stopReading() {
    // Reading goes on but keeps nothing: the kernel buffer must drain, or closing a socket with
    // unread input sends RST, and an RST makes the client's kernel drop the STATUS we just sent.
    decoder = null;
  }

  /**
   * A lingering close: once the last write (the closing STATUS) has left, half-close (FIN) so the
   * client reads everything and then end-of-stream, discard what it still sends, and close for good
   * when it closes or after {@link #LINGER_MS}.
   */
  @Override
  protected void closeSocket() {
    ChannelHandlerContext context = channel();
    if (context == null || !(context.channel() instanceof DuplexChannel duplex)) {
      socket.end();
      return;
    }
    socket.write(Buffer.buffer()).onComplete(flushed -> {
      duplex.shutdownOutput();
      context.executor().schedule(() -> { duplex.close(); }, LINGER_MS, TimeUnit.MILLISECONDS);
    });
  }

  @Override
  protected ChannelHandlerContext channel() {
    return socket instanceof NetSocketInternal internal ? internal.channelHandlerContext() : null;
  }

  @Override
  protected SocketAddress peer() {
    return socket.remoteAddress();
  }

  @Override
  public String kind() {
    return "tcp";
  }
}
