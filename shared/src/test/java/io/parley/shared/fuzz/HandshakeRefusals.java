package io.parley.shared.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.channel.ServerHandshake;
import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.StatusCode;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** What every refused handshake frame must satisfy (docs/protocol.md §2.6). */
final class HandshakeRefusals {
  private HandshakeRefusals() {}

  static void check(String frameName, byte[] input, HandshakeException refused, Function<byte[], String> reasonOf)
      throws MalformedPacketException {
    String reason = refused.reason();
    assertThat(reason).as("the reason names the frame").contains(frameName);
    // The reason travels in plaintext: the failure frame must encode and carry it unchanged.
    Envelope sent = new PacketCodec().decode(ServerHandshake.failureFrame(refused));
    assertThat(sent.statusCode()).contains(StatusCode.HANDSHAKE_FAILED);
    assertThat(sent.data().getValue("desc")).isEqualTo(reason);
    assertThat(Echo.find(input, reason, reasonOf, UnaryOperator.identity()))
        .as("the reason %s echoes input", reason)
        .isNull();
  }
}
