package io.parley.shared.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java handshake, fed the fixed inputs of vectors/handshake-v1.json, must produce exactly the
 * bytes that docs/vectors/handshake-vectors.mjs computed with Node's crypto: two independent
 * implementations agreeing on every frame, key and record.
 */
class HandshakeVectorsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static JsonObject vectors;

  @BeforeAll
  static void loadVectors() throws IOException {
    try (InputStream in = HandshakeVectorsTest.class.getResourceAsStream("/vectors/handshake-v1.json")) {
      assertThat(in).as("vectors/handshake-v1.json on the test classpath").isNotNull();
      vectors = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static byte[] hex(String section, String field) {
    return HEX.parseHex(vectors.getJsonObject(section).getString(field));
  }

  private static byte[] frame(String name) {
    return vectors.getJsonObject("frames").getString(name).getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject record(int index) {
    return vectors.getJsonArray("records").getJsonObject(index);
  }

  private static ServerIdentity identity() {
    return ServerIdentity.fromSeed(hex("inputs", "server_identity_seed"));
  }

  private static ClientHandshake client() {
    return new ClientHandshake(
        UUID.fromString(vectors.getJsonObject("inputs").getString("device_uuid")),
        hex("inputs", "client_nonce"),
        hex("inputs", "client_ephemeral_private"),
        SecureChannel.DEFAULT_MAX_RECORDS);
  }

  private static ServerHandshake server() {
    return new ServerHandshake(identity(), hex("inputs", "server_ephemeral_private"), SecureChannel.DEFAULT_MAX_RECORDS);
  }

  @Test
  void publicKeysAndFingerprintMatchTheVectors() {
    assertThat(Crypto.x25519PublicRaw(hex("inputs", "client_ephemeral_private")))
        .isEqualTo(hex("derived_public_keys", "client_ephemeral_public"));
    assertThat(Crypto.x25519PublicRaw(hex("inputs", "server_ephemeral_private")))
        .isEqualTo(hex("derived_public_keys", "server_ephemeral_public"));
    assertThat(identity().publicKeyRaw()).isEqualTo(hex("derived_public_keys", "server_identity_public"));
    assertThat(identity().fingerprint())
        .isEqualTo(vectors.getJsonObject("derived_public_keys").getString("server_identity_fingerprint"));
  }

  @Test
  void clientEmitsTheVectorFramesAndAcceptsTheVectorServerFrame() throws Exception {
    ClientHandshake client = client();
    assertThat(client.init()).isEqualTo(frame("conn_init"));

    ServerHello hello = client.onServerKey(frame("conn_encrypt_s"));
    assertThat(hello.identityKeyRaw()).isEqualTo(hex("derived_public_keys", "server_identity_public"));
    assertThat(hello.fingerprint())
        .isEqualTo(vectors.getJsonObject("derived_public_keys").getString("server_identity_fingerprint"));
    assertThat(client.clientKeyFrame()).isEqualTo(frame("conn_encrypt_c"));

    SecureChannel channel = client.complete();
    assertKeySchedule(client.sharedSecret(), client.transcriptHash(), client.keys());

    client.confirm(HEX.parseHex(record(0).getString("record")));
    for (int i = 1; i <= 2; i++) {
      byte[] plaintext = record(i).getString("plaintext").getBytes(StandardCharsets.UTF_8);
      assertThat(HEX.formatHex(channel.seal(plaintext))).isEqualTo(record(i).getString("record"));
    }
  }

  @Test
  void serverEmitsTheVectorFramesAndOpensTheVectorClientRecords() throws Exception {
    ServerHandshake server = server();
    assertThat(server.respond(frame("conn_init"))).isEqualTo(frame("conn_encrypt_s"));
    assertThat(server.deviceId()).isEqualTo(UUID.fromString(vectors.getJsonObject("inputs").getString("device_uuid")));
    assertThat(KeySchedule.signedDigest(frame("conn_init"), server.ephemeralPublicRaw()))
        .isEqualTo(hex("signature", "signed_digest"));

    SecureChannel channel = server.complete(frame("conn_encrypt_c"));
    assertKeySchedule(server.sharedSecret(), server.transcriptHash(), server.keys());

    assertThat(record(0).getString("plaintext").getBytes(StandardCharsets.UTF_8))
        .isEqualTo(ServerHandshake.connOkPlaintext());
    assertThat(HEX.formatHex(server.confirmationRecord())).isEqualTo(record(0).getString("record"));
    for (int i = 1; i <= 2; i++) {
      byte[] opened = channel.open(HEX.parseHex(record(i).getString("record")));
      assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo(record(i).getString("plaintext"));
    }
  }

  @Test
  void signatureIsTheVectorSignature() throws Exception {
    byte[] f2 = server().respond(frame("conn_init"));
    String sig = new JsonObject(new String(f2, StandardCharsets.UTF_8)).getJsonObject("data").getString("sig");
    assertThat(HEX.formatHex(java.util.Base64.getDecoder().decode(sig)))
        .isEqualTo(vectors.getJsonObject("signature").getString("sig"));
  }

  @Test
  void nonceConstructionMatchesTheVectors() {
    JsonObject schedule = vectors.getJsonObject("key_schedule");
    JsonArray nonces = vectors.getJsonArray("nonces");
    for (int i = 0; i < nonces.size(); i++) {
      JsonObject n = nonces.getJsonObject(i);
      byte[] iv = HEX.parseHex(schedule.getString(n.getString("direction") + "_iv"));
      assertThat(HEX.formatHex(RecordCipher.nonce(iv, n.getLong("seq"))))
          .as("%s nonce for seq %d", n.getString("direction"), n.getLong("seq"))
          .isEqualTo(n.getString("nonce"));
    }
  }

  private static void assertKeySchedule(byte[] shared, byte[] transcriptHash, KeySchedule.Keys keys) {
    assertThat(shared).isEqualTo(hex("key_schedule", "shared_secret"));
    assertThat(transcriptHash).isEqualTo(hex("key_schedule", "transcript_hash"));
    assertThat(keys.prk()).isEqualTo(hex("key_schedule", "prk"));
    assertThat(keys.c2sKey()).isEqualTo(hex("key_schedule", "c2s_key"));
    assertThat(keys.c2sIv()).isEqualTo(hex("key_schedule", "c2s_iv"));
    assertThat(keys.s2cKey()).isEqualTo(hex("key_schedule", "s2c_key"));
    assertThat(keys.s2cIv()).isEqualTo(hex("key_schedule", "s2c_iv"));
  }
}
