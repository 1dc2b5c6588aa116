package io.parley.client;

import io.parley.shared.channel.ClientHandshake;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.channel.ServerHello;
import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.security.SecureRandom;

/**
 * Entry point of the Java SDK: connects to a gateway, runs the encrypted handshake, checks the
 * server's identity against the pin (or trusts it on first use) and hands back a
 * {@link ParleyConnection} once the server's encrypted CONN_OK has arrived.
 */
public final class ParleyClient {
  /** AES-GCM usage limit per direction (DESIGN §2); the server enforces the same. */
  static final long MAX_RECORDS = 1L << 24;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ParleyClient() {}

  public static Future<ParleyConnection> connect(Vertx vertx, ClientOptions options) {
    return FrameLink.open(vertx, options).compose(link -> new Handshaker(link, options).run());
  }

  /** Drives the three handshake frames and the key confirmation over one link. */
  private static final class Handshaker {
    private final FrameLink link;
    private final ClientOptions options;
    private final PacketCodec codec = new PacketCodec();
    private final ClientHandshake handshake;
    private final Promise<ParleyConnection> result = Promise.promise();
    private ServerPinning.Verdict verdict;
    private SecureChannel channel;

    Handshaker(FrameLink link, ClientOptions options) {
      this.link = link;
      this.options = options;
      this.handshake = new ClientHandshake(options.deviceId(), RANDOM, MAX_RECORDS);
    }

    Future<ParleyConnection> run() {
      link.onFrame(this::onFrame);
      link.onClose(reason -> fail(new HandshakeException("the server closed the connection during the handshake: " + reason)));
      link.sendHandshakeFrame(handshake.init());
      return result.future();
    }

    private void onFrame(byte[] frame) {
      try {
        if (channel == null) {
          onServerKey(frame);
        } else {
          onConfirmation(frame);
        }
      } catch (Exception e) {
        fail(e);
      }
    }

    private void onServerKey(byte[] frame) throws Exception {
      refuseStatus(frame);
      ServerHello hello = handshake.onServerKey(frame);
      verdict = ServerPinning.verify(options, hello.fingerprint());
      link.sendHandshakeFrame(handshake.clientKeyFrame());
      channel = handshake.complete();
    }

    private void onConfirmation(byte[] record) throws Exception {
      handshake.confirm(record);
      result.tryComplete(new ParleyConnection(link, channel, codec, options, verdict));
    }

    /** During the handshake the server reports failures as a plaintext STATUS before closing. */
    private void refuseStatus(byte[] frame) throws HandshakeException {
      Envelope envelope;
      try {
        envelope = codec.decode(frame);
      } catch (MalformedPacketException | RuntimeException e) {
        return; // Not a status: let the handshake report what is wrong with the frame.
      }
      if (envelope.is(PacketType.STATUS)) {
        throw new HandshakeException(
            "server refused the handshake: " + envelope.data().getString("sig") + " " + envelope.data().getString("desc", ""));
      }
    }

    private void fail(Throwable cause) {
      if (result.tryFail(cause)) {
        link.close();
      }
    }
  }
}
