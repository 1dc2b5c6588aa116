package io.parley.gateway;

import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP: every frame is a 4-byte big-endian length, then the payload. A declared length over the limit
 * closes the connection before any of the payload is read (DESIGN §2).
 */
final class TcpTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
  private final NetSocket socket;
  private boolean closed;

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
    socket.exceptionHandler(
        failure -> {
          log.warn("closing {} connection from {} after a transport error: {}", transport.kind(), transport.remoteAddress(), failure.toString());
          log.debug("transport error detail", failure);
          session.onTransportClosed();
          transport.close();
        });
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
  public void close() {
    if (!closed) {
      closed = true;
      socket.end();
    }
  }

  @Override
  public void abort() {
    if (socket instanceof NetSocketInternal internal) {
      closed = true;
      internal.channelHandlerContext().channel().close();
    } else {
      close();
    }
  }

  @Override
  public String remoteAddress() {
    return socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
  }

  @Override
  public String kind() {
    return "tcp";
  }
}
