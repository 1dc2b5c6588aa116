package io.parley.gateway.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Behind a load balancer speaking the PROXY protocol (v1 or v2): reads the header before anything
 * else and names the client it describes, so limits and logs see the real address. A connection
 * without a header within {@link #TIMEOUT_MS} is closed; one whose header names no address (a LOCAL
 * command, e.g. the balancer's health check) keeps the balancer's address. Bytes after the header
 * stay in the channel for the handlers added once the client is known.
 */
public final class ProxyHeader extends ChannelInboundHandlerAdapter {
  /** How long a connection may take to send its PROXY header. */
  static final long TIMEOUT_MS = 10_000;

  private final Handler<SocketAddress> named;
  private ScheduledFuture<?> timeout;

  private ProxyHeader(Handler<SocketAddress> named) {
    this.named = named;
  }

  /** Reads the header of {@code channel} (registered, not reading), then calls {@code named} on its event loop. */
  public static void await(Channel channel, Handler<SocketAddress> named) {
    ProxyHeader header = new ProxyHeader(named);
    channel.pipeline().addLast(new HAProxyMessageDecoder(), header);
    header.timeout = channel.eventLoop().schedule(() -> { channel.close(); }, TIMEOUT_MS, TimeUnit.MILLISECONDS);
    channel.config().setAutoRead(true);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (!(message instanceof HAProxyMessage header)) {
      ReferenceCountUtil.release(message); // cannot happen: the decoder passes on nothing before the header
      return;
    }
    try {
      timeout.cancel(false);
      if (header.proxiedProtocol().transportProtocol() == HAProxyProxiedProtocol.TransportProtocol.DGRAM) {
        context.close();
        return;
      }
      SocketAddress client = header.proxiedProtocol() == HAProxyProxiedProtocol.UNKNOWN || header.sourceAddress() == null
          ? SocketAddress.inetSocketAddress((InetSocketAddress) context.channel().remoteAddress())
          : SocketAddress.inetSocketAddress(header.sourcePort(), header.sourceAddress());
      // Stop reading until the gateway has admitted the client and put its own handlers in place.
      context.channel().config().setAutoRead(false);
      context.pipeline().remove(this);
      named.handle(client);
    } finally {
      header.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    timeout.cancel(false);
    context.close(); // a malformed header: nothing after it can be trusted
  }
}
