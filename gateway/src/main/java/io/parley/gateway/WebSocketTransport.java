package io.parley.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * WebSocket: one packet per message, handshake frames as text, records as binary. The server's
 * maximum message size enforces the frame limit (Vert.x closes with 1009 when it is exceeded).
 */
final class WebSocketTransport extends SocketTransport {
  /** RFC 6455 close code 1008: policy violation — the client broke the protocol. */
  private static final short POLICY_VIOLATION = 1008;

  private final ServerWebSocket socket;

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
    socket.exceptionHandler(failure -> transport.onError(session, failure));
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
  protected void closeSocket() {
    socket.close(POLICY_VIOLATION);
  }

  @Override
  protected ChannelHandlerContext channel() {
    return socket instanceof WebSocketInternal internal ? internal.channelHandlerContext() : null;
  }

  @Override
  protected SocketAddress peer() {
    return socket.remoteAddress();
  }

  @Override
  public String kind() {
    return "ws";
  }
}
