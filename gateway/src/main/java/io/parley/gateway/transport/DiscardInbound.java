package io.parley.gateway.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads and drops whatever a connection being closed still sends: input left unread in the kernel
 * would turn our close into an RST, and an RST makes the client's kernel drop the STATUS we sent.
 */
@ChannelHandler.Sharable
public final class DiscardInbound extends ChannelInboundHandlerAdapter {
  public static final DiscardInbound INSTANCE = new DiscardInbound();

  private DiscardInbound() {}

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    ReferenceCountUtil.release(message);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    context.close();
  }
}
