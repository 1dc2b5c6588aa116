package io.parley.shared.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.crypto.Pem;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ServerIdentity IDENTITY = ServerIdentity.generate(RANDOM);
  private static final UUID DEVICE = UUID.fromString("0b6f5d2c-7e1a-4c3b-9d8e-112233445566");

  private static ServerHandshake server() {
    return new ServerHandshake(IDENTITY, RANDOM, SecureChannel.DEFAULT_MAX_RECORDS);
  }

  private static ClientHandshake client() {
    return new ClientHandshake(DEVICE, RANDOM, SecureChannel.DEFAULT_MAX_RECORDS);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String connInit(String dataJson) {
    return "{\"type\":\"CONN_INIT\",\"data\":" + dataJson + "}";
  }

  private static final String NONCE_32 = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void aFullHandshakeInMemoryGivesTwoChannelsThatTalkBothWays() throws Exception {
    ClientHandshake client = client();
    ServerHandshake server = server();

    ServerHello hello = client.onServerKey(server.respond(client.init()));
    assertThat(hello.fingerprint()).isEqualTo(IDENTITY.fingerprint());
    assertThat(hello.identityKeyPem()).isEqualTo(IDENTITY.publicKeyPem());
    hello.requireFingerprint(IDENTITY.fingerprint().toUpperCase());
    assertThat(server.deviceId()).isEqualTo(DEVICE);

    SecureChannel serverChannel = server.complete(client.clientKeyFrame());
    SecureChannel clientChannel = client.complete();
    assertThat(client.isConfirmed()).isFalse();
    client.confirm(server.confirmationRecord());
    assertThat(client.isConfirmed()).isTrue();

    byte[] request = utf8("{\"type\":\"ROOM_LIST\",\"id\":\"7\",\"data\":{}}");
    assertThat(serverChannel.open(clientChannel.seal(request))).isEqualTo(request);
    byte[] reply = utf8("{\"type\":\"STATUS\",\"id\":\"7\",\"data\":{\"sig\":\"ROOM_OK\"}}");
    assertThat(clientChannel.open(serverChannel.seal(reply))).isEqualTo(reply);
    assertThat(clientChannel.sendsRemaining()).isEqualTo(SecureChannel.DEFAULT_MAX_RECORDS - 1);
    assertThat(serverChannel.sendsRemaining()).isEqualTo(SecureChannel.DEFAULT_MAX_RECORDS - 2);
  }

  @Test
  void eachHandshakeUsesFreshEphemeralKeys() throws Exception {
    byte[] init = client().init();
    assertThat(server().respond(init)).isNotEqualTo(server().respond(init));
    assertThat(client().init()).isNotEqualTo(init);
  }

  // --- CONN_INIT validation (server) ---

  @Test
  void connInitWithANonNullTokenIsRefused_noSecretBeforeEncryption() {
    String frame = connInit("{\"uuid\":\"" + DEVICE + "\",\"token\":\"abc\",\"nonce\":\"" + NONCE_32 + "\"}");
    assertThatThrownBy(() -> server().respond(utf8(frame)))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("CONN_INIT.token")
        .hasMessageContaining("no secret travels before encryption");
  }

  @Test
  void connInitWithoutATokenFieldIsAccepted() throws Exception {
    String frame = connInit("{\"uuid\":\"" + DEVICE + "\",\"nonce\":\"" + NONCE_32 + "\"}");
    server().respond(utf8(frame));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "1-1-1-1-1", "0b6f5d2c7e1a4c3b9d8e112233445566", "", "0b6f5d2c-7e1a-4c3b-9d8e-11223344556g"})
  void connInitWithABadUuidIsRefused(String uuid) {
    String frame = connInit("{\"uuid\":\"" + uuid + "\",\"token\":null,\"nonce\":\"" + NONCE_32 + "\"}");
    assertThatThrownBy(() -> server().respond(utf8(frame)))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("CONN_INIT.uuid");
  }

  @Test
  void connInitWithAUuidThatIsNotAStringIsRefused() {
    String frame = connInit("{\"uuid\":42,\"token\":null,\"nonce\":\"" + NONCE_32 + "\"}");
    assertThatThrownBy(() -> server().respond(utf8(frame))).hasMessageContaining("CONN_INIT.uuid");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 16, 31, 33, 64})
  void connInitWithANonceOfTheWrongLengthIsRefused(int bytes) {
    String nonce = Base64.getEncoder().encodeToString(new byte[bytes]);
    String frame = connInit("{\"uuid\":\"" + DEVICE + "\",\"token\":null,\"nonce\":\"" + nonce + "\"}");
    assertThatThrownBy(() -> server().respond(utf8(frame)))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("CONN_INIT.nonce");
  }

  @Test
  void connInitWithANonceThatIsNotBase64IsRefused() {
    String frame = connInit("{\"uuid\":\"" + DEVICE + "\",\"token\":null,\"nonce\":\"%%%\"}");
    assertThatThrownBy(() -> server().respond(utf8(frame))).hasMessageContaining("CONN_INIT.nonce: not valid base64");
  }

  @Test
  void aFrameOfAnotherTypeIsRefusedInPlaceOfConnInit() {
    String frame = "{\"type\":\"LOGIN\",\"data\":{\"uuid\":\"" + DEVICE + "\",\"token\":null,\"nonce\":\"" + NONCE_32 + "\"}}";
    assertThatThrownBy(() -> server().respond(utf8(frame))).hasMessage("expected a CONN_INIT packet");
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello", "", "[]", "{\"type\":\"CONN_INIT\"", "{\"data\":{}}", "{\"type\":\"CONN_INIT\",\"data\":[]}"})
  void bytesThatAreNotAConnInitPacketAreRefused(String frame) {
    assertThatThrownBy(() -> server().respond(utf8(frame)))
        .isInstanceOf(HandshakeException.class)
        .hasMessageStartingWith("CONN_INIT: ");
  }

  @Test
  void aRefusedHandshakeCannotContinue() {
    ServerHandshake server = server();
    assertThatThrownBy(() -> server.respond(utf8("nope"))).isInstanceOf(HandshakeException.class);
    assertThatThrownBy(() -> server.complete(utf8("{}"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(server::deviceId).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theFailureFrameIsAPlaintextHandshakeFailedStatusWithTheReason() {
    byte[] frame = ServerHandshake.failureFrame(new HandshakeException("CONN_INIT.nonce: must be 32 bytes, got 3"));
    assertThat(new String(frame, StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"STATUS\",\"data\":{\"sig\":\"HANDSHAKE_FAILED\",\"desc\":\"CONN_INIT.nonce: must be 32 bytes, got 3\"}}");
  }

  @Test
  void theClientReportsTheServersRefusalReason() {
    ClientHandshake client = client();
    client.init();
    byte[] refusal = ServerHandshake.failureFrame(new HandshakeException("CONN_INIT.uuid: bad"));
    assertThatThrownBy(() -> client.onServerKey(refusal))
        .hasMessage("server refused the handshake: HANDSHAKE_FAILED: CONN_INIT.uuid: bad");
  }

  @Test
  void aPlaintextRefusalInPlaceOfConnOkIsReportedAsTheServersReasonNotAsAKeyMismatch() throws Exception {
    ClientHandshake client = client();
    ServerHandshake server = server();
    client.onServerKey(server.respond(client.init()));
    client.complete();
    byte[] shed = utf8("{\"type\":\"STATUS\",\"data\":{\"sig\":\"SERVER_BUSY\",\"desc\":\"reconnect\"}}");

    assertThatThrownBy(() -> client.confirm(shed))
        .hasMessage("server refused the handshake: SERVER_BUSY: reconnect");
    assertThat(client.isConfirmed()).isFalse();
  }

  // --- CONN_ENCRYPT_C validation (server) ---

  @Test
  void aClientKeyOfTheWrongAlgorithmIsRefused() throws Exception {
    ServerHandshake server = server();
    server.respond(client().init());
    String ed25519Pem = IDENTITY.publicKeyPem();
    byte[] frame = HandshakeFrames.connEncryptC(ed25519Pem);
    assertThatThrownBy(() -> server.complete(frame))
        .isInstanceOf(HandshakeException.class)
        .hasMessage("CONN_ENCRYPT_C.client_epbkey: expected an X25519 public key, got Ed25519");
  }

  @Test
  void aClientKeyThatIsNotPemIsRefused() throws Exception {
    ServerHandshake server = server();
    server.respond(client().init());
    assertThatThrownBy(() -> server.complete(HandshakeFrames.connEncryptC("MCowBQYDK2VuAyEA")))
        .hasMessageContaining("CONN_ENCRYPT_C.client_epbkey: not a PEM block");
    ServerHandshake other = server();
    other.respond(client().init());
    assertThatThrownBy(() -> other.complete(utf8("{\"type\":\"CONN_ENCRYPT_C\",\"data\":{}}")))
        .hasMessage("CONN_ENCRYPT_C.client_epbkey: required, a string");
  }

  /** RFC 7748 §6.1 low-order points: u = 0, u = 1, and a point of order 8. */
  @ParameterizedTest
  @ValueSource(strings = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  })
  void aLowOrderClientKeyIsRefused(String uHex) throws Exception {
    ServerHandshake server = server();
    server.respond(client().init());
    byte[] frame = HandshakeFrames.connEncryptC(Pem.encodePublic(Pem.KeyType.X25519, HexFormat.of().parseHex(uHex)));
    assertThatThrownBy(() -> server.complete(frame))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("low-order");
  }

  @Test
  void aLowOrderServerKeyIsRefusedByTheClient() throws Exception {
    ClientHandshake client = client();
    byte[] init = client.init();
    byte[] zero = new byte[32];
    byte[] sig = IDENTITY.sign(KeySchedule.signedDigest(init, zero));
    client.onServerKey(HandshakeFrames.connEncryptS(
        Pem.encodePublic(Pem.KeyType.X25519, zero), IDENTITY.publicKeyPem(), sig));
    assertThatThrownBy(client::complete).isInstanceOf(HandshakeException.class).hasMessageContaining("low-order");
  }

  // --- CONN_ENCRYPT_S verification (client) ---

  @Test
  void aWrongSignatureIsDetectedByTheClient() throws Exception {
    ClientHandshake client = client();
    JsonObject frame = new JsonObject(new String(server().respond(client.init()), StandardCharsets.UTF_8));
    byte[] sig = Base64.getDecoder().decode(frame.getJsonObject("data").getString("sig"));
    sig[10] ^= 0x01;
    frame.getJsonObject("data").put("sig", Base64.getEncoder().encodeToString(sig));
    assertThatThrownBy(() -> client.onServerKey(utf8(frame.encode())))
        .hasMessage("CONN_ENCRYPT_S.sig: does not verify with server_idkey");
  }

  @Test
  void aSignatureOverAnotherConnInitIsDetected() throws Exception {
    ClientHandshake client = client();
    client.init();
    byte[] replayed = server().respond(client().init());
    assertThatThrownBy(() -> client.onServerKey(replayed)).hasMessage("CONN_ENCRYPT_S.sig: does not verify with server_idkey");
  }

  @Test
  void aSubstitutedIdentityKeyIsDetected() throws Exception {
    ClientHandshake client = client();
    JsonObject frame = new JsonObject(new String(server().respond(client.init()), StandardCharsets.UTF_8));
    frame.getJsonObject("data").put("server_idkey", ServerIdentity.generate(RANDOM).publicKeyPem());
    assertThatThrownBy(() -> client.onServerKey(utf8(frame.encode())))
        .hasMessage("CONN_ENCRYPT_S.sig: does not verify with server_idkey");
  }

  @Test
  void anotherServersIdentityFailsThePin() throws Exception {
    ServerIdentity impostor = ServerIdentity.generate(RANDOM);
    ClientHandshake client = client();
    ServerHello hello = client.onServerKey(new ServerHandshake(impostor, RANDOM, 10).respond(client.init()));
    assertThatThrownBy(() -> hello.requireFingerprint(IDENTITY.fingerprint()))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining(impostor.fingerprint());
  }

  @Test
  void anX25519KeyInPlaceOfTheIdentityKeyIsRefused() throws Exception {
    ClientHandshake client = client();
    JsonObject frame = new JsonObject(new String(server().respond(client.init()), StandardCharsets.UTF_8));
    frame.getJsonObject("data").put("server_idkey", frame.getJsonObject("data").getString("server_epbkey"));
    assertThatThrownBy(() -> client.onServerKey(utf8(frame.encode())))
        .hasMessage("CONN_ENCRYPT_S.server_idkey: expected an Ed25519 public key, got X25519");
  }

  // --- key confirmation (client) ---

  @Test
  void aFirstRecordOtherThanConnOkFailsTheHandshake() throws Exception {
    ClientHandshake client = client();
    ServerHandshake server = server();
    client.onServerKey(server.respond(client.init()));
    SecureChannel serverChannel = server.complete(client.clientKeyFrame());
    client.complete();
    byte[] other = serverChannel.seal(utf8("{\"type\":\"STATUS\",\"data\":{\"sig\":\"LOGIN_OK\"}}"));
    assertThatThrownBy(() -> client.confirm(other)).hasMessage("the first record is not STATUS CONN_OK");
  }

  @Test
  void aConfirmationUnderOtherKeysFailsTheHandshake() throws Exception {
    ClientHandshake client = client();
    client.onServerKey(server().respond(client.init()));
    client.complete();
    // A second server answering the same CONN_INIT derives different keys.
    ServerHandshake other = server();
    other.respond(client.init());
    other.complete(client.clientKeyFrame());
    byte[] record = other.confirmationRecord();
    assertThatThrownBy(() -> client.confirm(record)).hasMessage("the first record did not open: the keys disagree");
  }

  // --- PEM ---

  @Test
  void pemDecodingAcceptsCrlfAndAMissingFinalNewline() throws Exception {
    byte[] raw = IDENTITY.publicKeyRaw();
    String pem = IDENTITY.publicKeyPem();
    assertThat(Pem.decodePublic(Pem.KeyType.ED25519, pem, "k")).isEqualTo(raw);
    assertThat(Pem.decodePublic(Pem.KeyType.ED25519, pem.replace("\n", "\r\n"), "k")).isEqualTo(raw);
    assertThat(Pem.decodePublic(Pem.KeyType.ED25519, pem.strip(), "k")).isEqualTo(raw);
  }

  @Test
  void pemDecodingRefusesAKeyOfTheWrongLength() {
    byte[] der = Pem.spki(Pem.KeyType.X25519, new byte[32]);
    byte[] longer = java.util.Arrays.copyOf(der, der.length + 1);
    String pem = Pem.armor(Pem.PUBLIC_HEADER, Pem.PUBLIC_FOOTER, longer);
    assertThatThrownBy(() -> Pem.decodePublic(Pem.KeyType.X25519, pem, "k"))
        .hasMessage("k: an X25519 public key must be 32 bytes");
  }

  @Test
  void pemEncodingIsNodesSpkiPem() {
    assertThat(Pem.encodePublic(Pem.KeyType.X25519, new byte[32]))
        .isEqualTo("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n-----END PUBLIC KEY-----\n");
  }
}
