package io.parley.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket: one packet per message, handshake frames as text, records as binary. The server's
 * maximum message size enforces the frame limit (Vert.x closes with 1009 when it is exceeded).
 */
final class WebSocketTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(WebSocketTransport.class);
  /** RFC 6455 close code 1008: policy violation — the client broke the protocol. */
  private static final short POLICY_VIOLATION = 1008;

  private final ServerWebSocket socket;
  private boolean closed;

  private WebSocketTransport(ServerWebSocket socket, int writeQueueMaxBytes) {
    this.socket = socket;
    socket.setWriteQueueMaxSize(writeQueueMaxBytes);
  }

  static void attach(ServerWebSocket socket, GatewaySettings settings, SessionFactory sessions) {
    WebSocketTransport transport = new WebSocketTransport(socket, settings.writeQueueMaxBytes());
    Session session = sessions.open(transport);
    socket.textMessageHandler(text -> session.onWebSocketMessage(text.getBytes(StandardCharsets.UTF_8), true));
    socket.binaryMessageHandler(binary -> session.onWebSocketMessage(binary.getBytes(), false));
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
    socket.writeTextMessage(new String(frame, StandardCharsets.UTF_8));
  }

  @Override
  public void sendRecord(byte[] record) {
    socket.writeBinaryMessage(Buffer.buffer(record));
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      socket.close(POLICY_VIOLATION);
    }
  }

  @Override
  public void abort() {
    if (socket instanceof WebSocketInternal internal) {
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
    return "ws";
  }
}
