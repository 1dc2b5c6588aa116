package io.parley.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.parley.gateway.GatewaySettings;
import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.session.Session;
import io.parley.gateway.session.SessionFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * WebSocket: one packet per message, handshake frames as text, records as binary. The server's
 * maximum message size enforces the frame limit (Vert.x closes with 1009 when it is exceeded).
 * A {@link WebSocketFrameMeter} in front of Netty's decoder tells the session when a message has
 * started and how much of it is held, for the frame deadline and the partial-frame budget.
 */
public final class WebSocketTransport extends SocketTransport {
  /** RFC 6455 close code 1008: policy violation — the client broke the protocol. */
  private static final short POLICY_VIOLATION = 1008;

  private static final String METER_HANDLER = "parley-frame-meter";

  private final ServerWebSocket socket;
  private boolean reading = true;

  private WebSocketTransport(ServerWebSocket socket, int writeQueueMaxBytes) {
    this.socket = socket;
    socket.setWriteQueueMaxSize(writeQueueMaxBytes);
  }

  public static void attach(ServerWebSocket socket, GatewaySettings settings, SessionFactory sessions, ConnectionLimits.Ticket ticket) {
    WebSocketTransport transport = new WebSocketTransport(socket, settings.writeQueueMaxBytes());
    Session session = sessions.open(transport, ticket);
    socket.textMessageHandler(text -> transport.onMessage(session, text.getBytes(StandardCharsets.UTF_8), true));
    socket.binaryMessageHandler(binary -> transport.onMessage(session, binary.getBytes(), false));
    socket.closeHandler(ignored -> session.onTransportClosed());
    socket.exceptionHandler(failure -> transport.onError(session, failure));
    transport.meter(session);
  }

  private void onMessage(Session session, byte[] message, boolean text) {
    if (reading) {
      session.onWebSocketMessage(message, text);
    }
  }

  /** Puts the meter first in the pipeline: it sees every raw byte before Netty's WebSocket decoder. */
  private void meter(Session session) {
    ChannelHandlerContext context = channel();
    if (context == null) {
      return;
    }
    WebSocketFrameMeter meter = new WebSocketFrameMeter();
    context.pipeline().addFirst(METER_HANDLER, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
          meter.feed(bytes);
          session.onPartialFrame(meter.heldBytes());
        }
        ctx.fireChannelRead(msg);
      }
    });
  }

  @Override
  public void onHandshakeComplete() {
    // The session checks handshake frame sizes itself; Vert.x's message limit is the general one.
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
  protected void stopReading() {
    // Not paused: the close handshake needs the client's close frame to be read.
    reading = false;
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
