package io.parley.gateway.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TCP port: one listening socket per process; each accepted connection is registered
 * on the event loop of a gateway instance, in turn, and handed to it there.
 *
 * <p>Why Netty directly and not Vert.x's {@code NetServer}: every Vert.x connection carries an
 * outbound message queue whose first chunk (1,024 slots, ~4.7 kB with the queue) is allocated up
 * front, whether the connection ever writes or not. That was half of what a held connection cost —
 * 10,000 connections that never sent a byte held ~100 MB of heap — and an attacker decides how many
 * connections the gateway holds. Here a connection is a Netty channel and a {@link TcpTransport};
 * Vert.x still runs everything after the bytes (the session runs on its instance's Vert.x context).
 */
public final class TcpListener {
  private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

  /** After accept fails (e.g. out of file descriptors), how long accepting pauses before retrying. */
  static final long ACCEPT_PAUSE_MS = 1_000;

  /** A gateway instance: the event loop its sessions live on, and what it does with a new channel. */
  public interface Instance {
    EventLoop eventLoop();

    /** Called on {@link #eventLoop()} with the channel registered there and not yet reading. */
    void accepted(Channel channel);
  }

  private final List<Instance> instances = new CopyOnWriteArrayList<>();
  private final AtomicInteger turn = new AtomicInteger();
  private Future<Channel> listening; // guarded by this

  /** Adds {@code instance} to those accepted connections go to; the first one binds. The bound port. */
  public synchronized Future<Integer> join(VertxInternal vertx, String host, int port, Instance instance) {
    instances.add(instance);
    if (listening == null) {
      listening = bind(vertx, host, port);
    }
    return listening.map(channel -> ((InetSocketAddress) channel.localAddress()).getPort());
  }

  /** Removes {@code instance}; the last one to leave closes the listening socket. */
  public synchronized Future<Void> leave(Instance instance) {
    instances.remove(instance);
    if (!instances.isEmpty() || listening == null) {
      return Future.succeededFuture();
    }
    Future<Channel> closing = listening;
    listening = null;
    return closing.<Void>compose(channel -> {
      Promise<Void> closed = Promise.promise();
      channel.close().addListener(done -> closed.complete());
      return closed.future();
    }).recover(notBound -> Future.succeededFuture());
  }

  private Future<Channel> bind(VertxInternal vertx, String host, int port) {
    Promise<Channel> bound = Promise.promise();
    new ServerBootstrap()
        .group(vertx.acceptorEventLoopGroup(), vertx.nettyEventLoopGroup())
        .channelFactory(vertx.transport().serverChannelFactory(false))
        .option(ChannelOption.SO_REUSEADDR, true)
        .handler(new HandOver())
        // Never reached: HandOver takes every accepted channel before the bootstrap's own acceptor.
        .childHandler(new ChannelInboundHandlerAdapter())
        .bind(host, port)
        .addListener(done -> {
          if (done.isSuccess()) {
            bound.complete(((io.netty.channel.ChannelFuture) done).channel());
          } else {
            bound.fail(done.cause());
          }
        });
    return bound.future();
  }

  /** On the acceptor thread: gives each accepted channel to the next instance's event loop. */
  private final class HandOver extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      Channel channel = (Channel) message;
      if (instances.isEmpty()) {
        channel.unsafe().closeForcibly(); // shutting down
        return;
      }
      Instance instance = instances.get(Math.floorMod(turn.getAndIncrement(), instances.size()));
      channel.config().setOption(ChannelOption.TCP_NODELAY, true);
      // Nothing is read until the instance has admitted the connection and set up its handlers.
      channel.config().setAutoRead(false);
      instance.eventLoop().register(channel).addListener(registered -> {
        if (registered.isSuccess()) {
          instance.accepted(channel);
        } else {
          channel.unsafe().closeForcibly();
        }
      });
    }

    /** Accept failed (typically EMFILE): pause accepting briefly instead of spinning on the error. */
    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      ChannelConfig config = context.channel().config();
      if (config.isAutoRead()) {
        config.setAutoRead(false);
        context.channel().eventLoop().schedule(() -> config.setAutoRead(true), ACCEPT_PAUSE_MS, TimeUnit.MILLISECONDS);
        log.warn("accepting TCP connections failed, pausing {} ms: {}", ACCEPT_PAUSE_MS, cause.toString());
      }
    }
  }
}
