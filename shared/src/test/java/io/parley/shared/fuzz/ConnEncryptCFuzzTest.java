package io.parley.shared.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parley.shared.channel.ClientHandshake;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.channel.ServerHandshake;
import io.parley.shared.crypto.HandshakeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The client's key (docs/protocol.md §2.3): {@link ServerHandshake#complete} on arbitrary
 * CONN_ENCRYPT_C bytes after a valid CONN_INIT. Only {@link HandshakeException} may escape, with a
 * reason that names the frame and echoes none of the input. An accepted frame holds an X25519 key
 * in the exact PEM form of §2.2, and the server can then seal CONN_OK; when it is byte for byte the
 * fixed client's frame, that client opens CONN_OK (both derived the same keys).
 */
class ConnEncryptCFuzzTest {

  private static final byte[] CONN_INIT = Handshakes.connInit();
  private static final byte[] CLIENT_CONN_ENCRYPT_C = Handshakes.connEncryptC();
  private static final byte[] X25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};
  /** STATUS CONN_OK is 42 bytes of plaintext; a record adds the 16-byte tag (§2.5, §4). */
  private static final int CONN_OK_RECORD_BYTES = 42 + 16;

  @FuzzTest(maxDuration = "10m")
  void complete(byte[] connEncryptC) throws Exception {
    ServerHandshake server = respondedServer();
    try {
      server.complete(connEncryptC);
    } catch (HandshakeException refused) {
      HandshakeRefusals.check("CONN_ENCRYPT_C", connEncryptC, refused, ConnEncryptCFuzzTest::reasonOf);
      return;
    }
    JsonObject frame = WireText.acceptedJson(connEncryptC, "CONN_ENCRYPT_C");
    assertThat(frame.getValue("type")).isEqualTo("CONN_ENCRYPT_C");
    Object pem = frame.getJsonObject("data").getValue("client_epbkey");
    assertThat(pem).isInstanceOf(String.class);
    assertThat(spkiOf((String) pem)).as("client_epbkey is an X25519 SubjectPublicKeyInfo")
        .hasSize(44).startsWith(X25519_SPKI_PREFIX);
    assertThat(server.confirmationRecord()).hasSize(CONN_OK_RECORD_BYTES);

    if (Arrays.equals(connEncryptC, CLIENT_CONN_ENCRYPT_C)) {
      ClientHandshake client = Handshakes.client(SecureChannel.DEFAULT_MAX_RECORDS);
      ServerHandshake twin = Handshakes.server(SecureChannel.DEFAULT_MAX_RECORDS);
      client.onServerKey(twin.respond(client.init()));
      twin.complete(client.clientKeyFrame());
      client.complete();
      client.confirm(twin.confirmationRecord());
      assertThat(client.isConfirmed()).isTrue();
    }
  }

  private static ServerHandshake respondedServer() throws HandshakeException {
    ServerHandshake server = Handshakes.server(SecureChannel.DEFAULT_MAX_RECORDS);
    server.respond(CONN_INIT);
    return server;
  }

  /** The DER inside a PEM public key, read by the rules of §2.2 (CRLF, missing final newline). */
  private static byte[] spkiOf(String pem) {
    String text = pem.replace("\r\n", "\n");
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    String[] lines = text.split("\n", -1);
    assertThat(lines.length).as("PEM lines").isGreaterThanOrEqualTo(3);
    assertThat(lines[0]).isEqualTo("-----BEGIN PUBLIC KEY-----");
    assertThat(lines[lines.length - 1]).isEqualTo("-----END PUBLIC KEY-----");
    String body = String.join("", Arrays.asList(lines).subList(1, lines.length - 1));
    return Base64.getDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
  }

  private static String reasonOf(byte[] connEncryptC) {
    try {
      respondedServer().complete(connEncryptC);
      return null;
    } catch (HandshakeException e) {
      return e.reason();
    }
  }
}
