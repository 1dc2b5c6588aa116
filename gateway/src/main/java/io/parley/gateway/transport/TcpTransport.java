package io.parley.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;
import io.parley.gateway.GatewaySettings;
import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.limits.Refusal;
import io.parley.gateway.session.Session;
import io.parley.gateway.session.SessionFactory;
import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.parley.shared.protocol.Limits;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * TCP: every frame is a 4-byte big-endian length, then the payload. A declared length over the limit
 * closes the connection before any of the payload is read (DESIGN §2); until the handshake is done
 * the limit is the handshake frame limit, not the general one.
 *
 * <p>A Netty handler on the channel {@link TcpListener} accepted: every event runs on the channel's
 * event loop, which is the gateway instance's, and is dispatched on the instance's Vert.x context so
 * the session can use the bus and timers as any Vert.x code does. Reads are decoded straight from
 * Netty's buffer (the decoder copies what it keeps); writes made while a read is being handled are
 * flushed once, when the read completes.
 */
public final class TcpTransport extends SocketTransport {
  /** How long a closed connection's input is still drained after our FIN, at most. */
  static final long LINGER_MS = 2_000;

  private final Channel channel;
  private final ContextInternal context;
  private final SocketAddress peer;
  private final int maxFrameBytes;
  private FrameDecoder decoder;
  private ChannelHandlerContext handler;
  private boolean inRead;
  private boolean flushPending;

  private TcpTransport(Channel channel, ContextInternal context, SocketAddress peer, GatewaySettings settings) {
    this.channel = channel;
    this.context = context;
    this.peer = peer;
    this.maxFrameBytes = settings.maxFrameBytes();
    this.decoder = new FrameDecoder(Math.min(Limits.HANDSHAKE_FRAME_MAX_BYTES, maxFrameBytes));
    int queue = settings.writeQueueMaxBytes();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(queue / 2, queue));
  }

  /** Opens a session on an admitted channel and starts reading it. Call on the channel's event loop. */
  public static void attach(
      Channel channel, ContextInternal context, SocketAddress peer, GatewaySettings settings, SessionFactory sessions,
      ConnectionLimits.Ticket ticket) {
    new TcpTransport(channel, context, peer, settings).start(sessions, ticket);
  }

  private void start(SessionFactory sessions, ConnectionLimits.Ticket ticket) {
    Session[] opened = new Session[1];
    context.dispatch(ticket, admitted -> opened[0] = sessions.open(this, admitted));
    Session session = opened[0];
    channel.pipeline().addLast("parley-tcp", new Reader(session));
    channel.closeFuture().addListener(closed -> context.dispatch(session, Session::onTransportClosed));
    channel.config().setAutoRead(true);
  }

  /** The channel's inbound end: bytes, end of read batches, errors. */
  private final class Reader extends ChannelInboundHandlerAdapter {
    private final Session session;

    Reader(Session session) {
      this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext added) {
      handler = added;
    }

    @Override
    public void channelRead(ChannelHandlerContext ignored, Object message) {
      ByteBuf bytes = (ByteBuf) message;
      inRead = true;
      try {
        context.dispatch(bytes, this::onBytes);
      } finally {
        bytes.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ignored) {
      inRead = false;
      if (flushPending) {
        flushPending = false;
        channel.flush();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ignored, Throwable cause) {
      context.dispatch(cause, failure -> onError(session, failure));
    }

    private void onBytes(ByteBuf bytes) {
      FrameDecoder current = decoder;
      if (current == null) {
        return; // closing: what the peer still sends is not kept
      }
      try {
        // A slice: a Vert.x buffer indexes its ByteBuf from 0, and the bytes after a PROXY header come
        // as the header decoder's buffer with the header before its reader index.
        current.feed(BufferInternal.buffer(bytes.slice()), frame -> session.onFrame(frame.getBytes()));
      } catch (FrameTooLargeException e) {
        session.closeWith(
            Refusal.FRAME_TOO_LARGE, "frame of " + e.declaredLength() + " bytes is over the limit of " + e.maxFrameBytes());
        return;
      }
      if (decoder != null) {
        session.onPartialFrame(decoder.retainedBytes());
      }
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
    write(frame);
  }

  @Override
  public void sendRecord(byte[] record) {
    write(record);
  }

  private void write(byte[] payload) {
    ByteBuf frame = Unpooled.buffer(FrameDecoder.HEADER_BYTES + payload.length).writeInt(payload.length).writeBytes(payload);
    if (inRead) {
      channel.write(frame, channel.voidPromise());
      flushPending = true;
    } else {
      channel.writeAndFlush(frame, channel.voidPromise());
    }
  }

  @Override
  public boolean writeQueueFull() {
    return !channel.isWritable();
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
    flushPending = false;
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
      if (channel instanceof DuplexChannel duplex && channel.isActive()) {
        duplex.shutdownOutput();
        channel.eventLoop().schedule(() -> { channel.close(); }, LINGER_MS, TimeUnit.MILLISECONDS);
      } else {
        channel.close();
      }
    });
  }

  @Override
  protected ChannelHandlerContext channel() {
    return handler;
  }

  @Override
  protected SocketAddress peer() {
    return peer;
  }

  @Override
  public String kind() {
    return "tcp";
  }
}
