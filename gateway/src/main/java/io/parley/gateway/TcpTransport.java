package io.parley.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

/**
 * TCP: every frame is a 4-byte big-endian length, then the payload. A declared length over the limit
 * closes the connection before any of the payload is read (DESIGN §2).
 */
final class TcpTransport extends SocketTransport {
  private final NetSocket socket;

  private TcpTransport(NetSocket socket, int writeQueueMaxBytes) {
    this.socket = socket;
    socket.setWriteQueueMaxSize(writeQueueMaxBytes);
  }

  static void attach(NetSocket socket, GatewaySettings settings, SessionFactory sessions) {
    TcpTransport transport = new TcpTransport(socket, settings.writeQueueMaxBytes());
    Session session = sessions.open(transport);
    FrameDecoder decoder = new FrameDecoder(settings.maxFrameBytes());
    socket.handler(
        chunk -> {
          try {
            decoder.feed(chunk, frame -> session.onFrame(frame.getBytes()));
          } catch (FrameTooLargeException e) {
            socket.pause();
            session.closeWith(
                StatusCode.TOO_LARGE,
                "frame of " + e.declaredLength() + " bytes is over the limit of " + settings.maxFrameBytes());
          }
        });
    socket.closeHandler(ignored -> session.onTransportClosed());
    socket.exceptionHandler(failure -> transport.onError(session, failure));
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
  protected void closeSocket() {
    socket.end();
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
