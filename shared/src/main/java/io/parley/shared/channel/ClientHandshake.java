package io.parley.shared.channel;

import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.crypto.Pem;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/**
 * The client side of one handshake (docs/protocol.md §2): send {@link #init()}, pass the server's
 * answer to {@link #onServerKey} and pin the returned fingerprint, send {@link #clientKeyFrame()},
 * call {@link #complete()}, then {@link #confirm} the first record the server sends. Single use.
 */
public final class ClientHandshake {

  private enum State { NEW, INIT_SENT, SERVER_VERIFIED, COMPLETE, CONFIRMED, FAILED }

  private static final PacketCodec CODEC = new PacketCodec();

  private final UUID deviceId;
  private final byte[] nonce;
  private final long maxRecords;
  private final X25519PrivateKeyParameters ephemeralPrivate;
  private final byte[] ephemeralPublicRaw;
  private State state = State.NEW;
  private byte[] connInit;
  private byte[] connEncryptS;
  private byte[] connEncryptC;
  private byte[] serverEphemeralRaw;
  private SecureChannel channel;
  // Kept for the test vectors only.
  private byte[] sharedSecret;
  private byte[] transcriptHash;
  private KeySchedule.Keys keys;

  public ClientHandshake(UUID deviceId, SecureRandom random, long maxRecords) {
    this(deviceId, Crypto.randomBytes(random, HandshakeFrames.NONCE_BYTES),
        Crypto.randomBytes(random, Pem.RAW_KEY_BYTES), maxRecords);
  }

  /** Fixed nonce and ephemeral key, so the test vectors can be reproduced. */
  ClientHandshake(UUID deviceId, byte[] nonce, byte[] ephemeralPrivateRaw, long maxRecords) {
    SecureChannel.checkMaxRecords(maxRecords);
    if (nonce.length != HandshakeFrames.NONCE_BYTES) {
      throw new IllegalArgumentException("the CONN_INIT nonce is " + HandshakeFrames.NONCE_BYTES + " bytes");
    }
    this.deviceId = deviceId;
    this.nonce = nonce.clone();
    this.maxRecords = maxRecords;
    this.ephemeralPrivate = Crypto.x25519PrivateKey(ephemeralPrivateRaw);
    this.ephemeralPublicRaw = Crypto.x25519PublicRaw(ephemeralPrivateRaw);
  }

  /** CONN_INIT frame bytes. Calling it again returns the same bytes. */
  public byte[] init() {
    if (state == State.NEW) {
      connInit = HandshakeFrames.connInit(deviceId, nonce);
      state = State.INIT_SENT;
    } else if (connInit == null) {
      throw new IllegalStateException("handshake is " + state);
    }
    return connInit.clone();
  }

  /**
   * Verifies the signature with the key inside the frame and returns it; the caller pins the
   * fingerprint (and must abort on a mismatch before sending anything). A plaintext STATUS
   * HANDSHAKE_FAILED from the server becomes a HandshakeException carrying its reason.
   */
  public ServerHello onServerKey(byte[] connEncryptSFrame) throws HandshakeException {
    require(State.INIT_SENT);
    state = State.FAILED;
    JsonObject data = HandshakeFrames.parse(connEncryptSFrame, PacketType.CONN_ENCRYPT_S);
    byte[] serverEphemeral = Pem.decodePublic(Pem.KeyType.X25519,
        HandshakeFrames.string(data, PacketType.CONN_ENCRYPT_S, HandshakeFrames.SERVER_EPBKEY),
        "CONN_ENCRYPT_S." + HandshakeFrames.SERVER_EPBKEY);
    String identityPem = HandshakeFrames.string(data, PacketType.CONN_ENCRYPT_S, HandshakeFrames.SERVER_IDKEY);
    byte[] identityRaw = Pem.decodePublic(Pem.KeyType.ED25519, identityPem, "CONN_ENCRYPT_S." + HandshakeFrames.SERVER_IDKEY);
    byte[] signature = HandshakeFrames.decodeBase64(
        HandshakeFrames.string(data, PacketType.CONN_ENCRYPT_S, HandshakeFrames.SIG), "CONN_ENCRYPT_S.sig");
    if (signature.length != Crypto.ED25519_SIGNATURE_BYTES
        || !Crypto.ed25519Verify(identityRaw, KeySchedule.signedDigest(connInit, serverEphemeral), signature)) {
      throw new HandshakeException("CONN_ENCRYPT_S.sig: does not verify with server_idkey");
    }
    connEncryptS = connEncryptSFrame.clone();
    serverEphemeralRaw = serverEphemeral;
    connEncryptC = HandshakeFrames.connEncryptC(Pem.encodePublic(Pem.KeyType.X25519, ephemeralPublicRaw));
    state = State.SERVER_VERIFIED;
    return new ServerHello(identityPem, identityRaw, Fingerprints.of(identityRaw));
  }

  /** CONN_ENCRYPT_C frame bytes, after onServerKey() accepted the server's frame. */
  public byte[] clientKeyFrame() {
    if (connEncryptC == null) {
      throw new IllegalStateException("clientKeyFrame() needs a verified CONN_ENCRYPT_S first");
    }
    return connEncryptC.clone();
  }

  /** Derives the keys; after clientKeyFrame(). Refuses a low-order server ephemeral key. */
  public SecureChannel complete() throws HandshakeException {
    require(State.SERVER_VERIFIED);
    state = State.FAILED;
    sharedSecret = Crypto.x25519(ephemeralPrivate, serverEphemeralRaw, "CONN_ENCRYPT_S." + HandshakeFrames.SERVER_EPBKEY);
    transcriptHash = KeySchedule.transcriptHash(connInit, connEncryptS, connEncryptC);
    keys = KeySchedule.derive(sharedSecret, transcriptHash);
    channel = SecureChannel.forClient(keys, maxRecords);
    state = State.COMPLETE;
    return channel;
  }

  /**
   * Checks that the first record from the server opens and is STATUS CONN_OK (key confirmation).
   * Anything else is a failed handshake; the caller closes the connection.
   */
  public void confirm(byte[] firstServerRecord) throws HandshakeException {
    require(State.COMPLETE);
    state = State.FAILED;
    byte[] plaintext;
    try {
      plaintext = channel.open(firstServerRecord);
    } catch (RecordException e) {
      // Until CONN_OK the server may still refuse in plaintext (SERVER_BUSY, HANDSHAKE_TIMEOUT, ...):
      // report its reason rather than a key mismatch it is not.
      refusalInPlaintext(firstServerRecord);
      throw new HandshakeException("the first record did not open: the keys disagree");
    }
    Optional<StatusCode> status;
    try {
      Envelope envelope = CODEC.decode(plaintext);
      status = envelope.statusCode();
    } catch (MalformedPacketException | PacketCodec.BadPacketEnvelope e) {
      throw new HandshakeException("the first record is not a packet: " + e.getMessage());
    }
    if (status.isEmpty() || status.get() != StatusCode.CONN_OK) {
      throw new HandshakeException("the first record is not STATUS CONN_OK");
    }
    state = State.CONFIRMED;
  }

  /** Throws the server's reason when {@code frame} is a plaintext STATUS; returns otherwise. */
  private static void refusalInPlaintext(byte[] frame) throws HandshakeException {
    Envelope envelope;
    try {
      envelope = CODEC.decode(frame);
    } catch (MalformedPacketException | PacketCodec.BadPacketEnvelope e) {
      return;
    }
    if (envelope.is(PacketType.STATUS) && envelope.statusCode().isPresent()) {
      String desc = envelope.data().getValue("desc") instanceof String text ? text : "no reason given";
      throw new HandshakeException("server refused the handshake: " + envelope.statusCode().get() + ": " + desc);
    }
  }

  /** True once {@link #confirm} accepted CONN_OK: the channel is established. */
  public boolean isConfirmed() {
    return state == State.CONFIRMED;
  }

  public UUID deviceId() {
    return deviceId;
  }

  private void require(State expected) {
    if (state != expected) {
      throw new IllegalStateException("handshake is " + state + ", expected " + expected);
    }
  }

  byte[] sharedSecret() {
    return sharedSecret;
  }

  byte[] transcriptHash() {
    return transcriptHash;
  }

  KeySchedule.Keys keys() {
    return keys;
  }

  @Override
  public String toString() {
    return "ClientHandshake[" + state + ", device " + deviceId + "]";
  }
}
