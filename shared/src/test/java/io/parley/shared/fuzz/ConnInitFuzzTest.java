package io.parley.shared.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.channel.ServerHandshake;
import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.protocol.PacketCodec;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The first frame a stranger sends (docs/protocol.md §2.1): {@link ServerHandshake#respond} on
 * arbitrary CONN_INIT bytes. Only {@link HandshakeException} may escape; its reason, which the
 * server sends back in plaintext, names the frame and echoes none of the input; a frame the server
 * accepts satisfies every rule of §2.1 when read by an independent parser.
 */
class ConnInitFuzzTest {

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  @FuzzTest(maxDuration = "10m")
  void respond(byte[] connInit) throws Exception {
    ServerHandshake server = Handshakes.server(SecureChannel.DEFAULT_MAX_RECORDS);
    byte[] connEncryptS;
    try {
      connEncryptS = server.respond(connInit);
    } catch (HandshakeException refused) {
      HandshakeRefusals.check("CONN_INIT", connInit, refused, ConnInitFuzzTest::reasonOf);
      return;
    }
    JsonObject frame = WireText.acceptedJson(connInit, "CONN_INIT");
    assertThat(frame.getValue("type")).isEqualTo("CONN_INIT");
    JsonObject data = frame.getJsonObject("data");
    assertThat(data.getValue("uuid")).isInstanceOf(String.class);
    String uuid = data.getString("uuid");
    assertThat(uuid).matches(UUID_TEXT);
    assertThat(server.deviceId()).isEqualTo(UUID.fromString(uuid));
    assertThat(data.getValue("token")).as("token is absent or null").isNull();
    assertThat(data.getValue("nonce")).isInstanceOf(String.class);
    assertThat(Base64.getDecoder().decode(data.getString("nonce"))).hasSize(32).isEqualTo(server.clientNonce());
    assertThat(new PacketCodec().decode(connEncryptS).type()).isEqualTo("CONN_ENCRYPT_S");
  }

  private static String reasonOf(byte[] connInit) {
    try {
      Handshakes.server(SecureChannel.DEFAULT_MAX_RECORDS).respond(connInit);
      return null;
    } catch (HandshakeException e) {
      return e.reason();
    }
  }
}
