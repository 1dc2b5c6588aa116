package io.parley.gateway.transport;

import io.netty.channel.ChannelHandlerContext;
import io.parley.gateway.session.Session;
import io.parley.gateway.session.Transport;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What TCP and WebSocket transports share: close once (reading stops at once, so a closing peer can
 * make the server hold nothing more), abort by closing the Netty channel (dropping whatever is still
 * queued), the client's address, and the reaction to a transport error.
 */
abstract class SocketTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

  private boolean closed;

  /** Flushes and closes the socket; called at most once. */
  protected abstract void closeSocket();

  /** Stops reading from the socket and drops any partial frame: nothing more the peer sends is kept. */
  protected abstract void stopReading();

  /** The Netty channel under the socket, or null when Vert.x does not expose it. */
  protected abstract ChannelHandlerContext channel();

  protected abstract SocketAddress peer();

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      stopReading();
      closeSocket();
    }
  }

  @Override
  public final void abort() {
    ChannelHandlerContext channel = channel();
    if (channel == null) {
      close();
    } else {
      closed = true;
      stopReading();
      channel.channel().close();
    }
  }

  @Override
  public final String remoteAddress() {
    return peer() == null ? "unknown" : peer().hostAddress();
  }

  /** A transport error ends the session: the stream can no longer be trusted. */
  final void onError(Session session, Throwable failure) {
    log.warn("closing {} connection from {} after a transport error: {}", kind(), remoteAddress(), failure.toString());
    log.debug("transport error detail", failure);
    session.onTransportClosed();
    close();
  }
}
