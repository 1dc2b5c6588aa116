package io.parley.client;

import io.parley.shared.channel.FrameDecoder;
import io.parley.shared.channel.FrameTooLargeException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/** The client's side of a transport: whole frames in, whole frames out. */
abstract class FrameLink {
  private final Vertx vertx;
  private Handler<byte[]> frameHandler = frame -> {};
  private Handler<String> closeHandler = reason -> {};

  /**
   * Each link owns its Vert.x client and closes it with the connection. Holding the reference
   * matters: Vert.x 5 closes a client, and every connection it opened, once the client object is
   * garbage collected.
   */
  static Future<FrameLink> open(Vertx vertx, ClientOptions options) {
    return switch (options.transport()) {
      case TCP -> {
        NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setLocalAddress(options.localAddress()));
        yield client
            .connect(options.port(), options.host())
            .<FrameLink>map(socket -> new Tcp(vertx, client, socket, options.maxFrameBytes()))
            .onFailure(failure -> client.close());
      }
      case WEBSOCKET -> {
        WebSocketClient client =
            vertx.createWebSocketClient(
                new WebSocketClientOptions()
                    .setMaxFrameSize(options.maxFrameBytes())
                    .setMaxMessageSize(options.maxFrameBytes())
                    .setLocalAddress(options.localAddress()));
        yield client
            .connect(options.port(), options.host(), "/ws")
            .<FrameLink>map(socket -> new Ws(vertx, client, socket))
            .onFailure(failure -> client.close());
      }
    };
  }

  FrameLink(Vertx vertx) {
    this.vertx = vertx;
  }

  final Vertx vertx() {
    return vertx;
  }

  final void onFrame(Handler<byte[]> handler) {
    this.frameHandler = handler;
  }

  final void onClose(Handler<String> handler) {
    this.closeHandler = handler;
  }

  protected final void deliver(byte[] frame) {
    frameHandler.handle(frame);
  }

  protected final void closed(String reason) {
    closeHandler.handle(reason);
  }

  abstract void sendHandshakeFrame(byte[] frame);

  abstract void sendRecord(byte[] record);

  abstract Future<Void> close();

  private static final class Tcp extends FrameLink {
    private final NetClient client;
    private final NetSocket socket;

    Tcp(Vertx vertx, NetClient client, NetSocket socket, int maxFrameBytes) {
      super(vertx);
      this.client = client;
      this.socket = socket;
      FrameDecoder decoder = new FrameDecoder(maxFrameBytes);
      socket.handler(
          chunk -> {
            try {
              decoder.feed(chunk, frame -> deliver(frame.getBytes()));
            } catch (FrameTooLargeException e) {
              socket.close();
            }
          });
      socket.closeHandler(
          ignored -> {
            client.close();
            closed("connection closed");
          });
    }

    @Override
    void sendHandshakeFrame(byte[] frame) {
      socket.write(FrameDecoder.encode(frame));
    }

    @Override
    void sendRecord(byte[] record) {
      socket.write(FrameDecoder.encode(record));
    }

    @Override
    Future<Void> close() {
      return socket.close();
    }
  }

  private static final class Ws extends FrameLink {
    private final WebSocketClient client;
    private final WebSocket socket;

    Ws(Vertx vertx, WebSocketClient client, WebSocket socket) {
      super(vertx);
      this.client = client;
      this.socket = socket;
      socket.textMessageHandler(text -> deliver(text.getBytes(StandardCharsets.UTF_8)));
      socket.binaryMessageHandler(binary -> deliver(binary.getBytes()));
      socket.closeHandler(
          ignored -> {
            client.close();
            closed(socket.closeReason() != null ? socket.closeReason() : "connection closed");
          });
    }

    @Override
    void sendHandshakeFrame(byte[] frame) {
      socket.writeTextMessage(new String(frame, StandardCharsets.UTF_8));
    }

    @Override
    void sendRecord(byte[] record) {
      socket.writeBinaryMessage(Buffer.buffer(record));
    }

    @Override
    Future<Void> close() {
      return socket.close();
    }
  }
}
