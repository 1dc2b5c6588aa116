package io.parley.shared.channel;

import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.crypto.Pem;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * The server side of one handshake (docs/protocol.md §2): {@link #respond} to CONN_INIT, then
 * {@link #complete} on CONN_ENCRYPT_C, then send {@link #confirmationRecord()} as the first record.
 * Single use, one connection, one event loop. Any HandshakeException ends it: the gateway sends
 * {@link #failureFrame} in plaintext and closes.
 */
public final class ServerHandshake {

  private enum State { NEW, RESPONDED, COMPLETE, FAILED }

  private static final byte[] CONN_OK = new PacketCodec().encode(Envelope.status(StatusCode.CONN_OK));

  private final ServerIdentity identity;
  private final long maxRecords;
  private final X25519PrivateKeyParameters ephemeralPrivate;
  private final byte[] ephemeralPublicRaw;
  private State state = State.NEW;
  private byte[] connInit;
  private byte[] connEncryptS;
  private UUID deviceId;
  private byte[] clientNonce;
  private SecureChannel channel;
  // Kept for the test vectors only.
  private byte[] sharedSecret;
  private byte[] transcriptHash;
  private KeySchedule.Keys keys;

  public ServerHandshake(ServerIdentity identity, SecureRandom random, long maxRecords) {
    this(identity, Crypto.randomBytes(random, Pem.RAW_KEY_BYTES), maxRecords);
  }

  /** Fixed ephemeral key, so the test vectors can be reproduced. */
  ServerHandshake(ServerIdentity identity, byte[] ephemeralPrivateRaw, long maxRecords) {
    SecureChannel.checkMaxRecords(maxRecords);
    this.identity = identity;
    this.maxRecords = maxRecords;
    this.ephemeralPrivate = Crypto.x25519PrivateKey(ephemeralPrivateRaw);
    this.ephemeralPublicRaw = Crypto.x25519PublicRaw(ephemeralPrivateRaw);
  }

  /** Validates the CONN_INIT frame bytes and returns the CONN_ENCRYPT_S frame bytes to send. */
  public byte[] respond(byte[] connInitFrame) throws HandshakeException {
    require(State.NEW);
    state = State.FAILED;
    JsonObject data = HandshakeFrames.parse(connInitFrame, PacketType.CONN_INIT);
    UUID device = HandshakeFrames.deviceId(data);
    HandshakeFrames.requireNoToken(data);
    byte[] nonce = HandshakeFrames.nonce(data);

    byte[] signature = identity.sign(KeySchedule.signedDigest(connInitFrame, ephemeralPublicRaw));
    connInit = connInitFrame.clone();
    connEncryptS = HandshakeFrames.connEncryptS(
        Pem.encodePublic(Pem.KeyType.X25519, ephemeralPublicRaw), identity.publicKeyPem(), signature);
    deviceId = device;
    clientNonce = nonce;
    state = State.RESPONDED;
    return connEncryptS.clone();
  }

  /** Validates the CONN_ENCRYPT_C frame, derives keys. */
  public SecureChannel complete(byte[] connEncryptCFrame) throws HandshakeException {
    require(State.RESPONDED);
    state = State.FAILED;
    JsonObject data = HandshakeFrames.parse(connEncryptCFrame, PacketType.CONN_ENCRYPT_C);
    String what = "CONN_ENCRYPT_C." + HandshakeFrames.CLIENT_EPBKEY;
    byte[] clientEphemeral = Pem.decodePublic(
        Pem.KeyType.X25519, HandshakeFrames.string(data, PacketType.CONN_ENCRYPT_C, HandshakeFrames.CLIENT_EPBKEY), what);
    sharedSecret = Crypto.x25519(ephemeralPrivate, clientEphemeral, what);
    transcriptHash = KeySchedule.transcriptHash(connInit, connEncryptS, connEncryptCFrame);
    keys = KeySchedule.derive(sharedSecret, transcriptHash);
    channel = SecureChannel.forServer(keys, maxRecords);
    state = State.COMPLETE;
    return channel;
  }

  /**
   * The first s→c record, STATUS CONN_OK, sealed with the channel from {@link #complete}. It must be
   * the first record the server seals: the client takes it as proof both sides derived the same keys.
   */
  public byte[] confirmationRecord() {
    require(State.COMPLETE);
    if (channel.sendsRemaining() != maxRecords) {
      throw new IllegalStateException("CONN_OK must be the first record sealed on the channel");
    }
    try {
      return channel.seal(connOkPlaintext());
    } catch (ChannelExhaustedException e) {
      throw new IllegalStateException("maxRecords >= 1 leaves room for CONN_OK", e);
    }
  }

  /** The exact plaintext of the confirmation record: {@code {"type":"STATUS","data":{"sig":"CONN_OK"}}}. */
  public static byte[] connOkPlaintext() {
    return CONN_OK.clone();
  }

  /** The plaintext frame sent before closing a failed handshake: STATUS HANDSHAKE_FAILED with the reason. */
  public static byte[] failureFrame(HandshakeException failure) {
    return HandshakeFrames.handshakeFailed(failure.reason());
  }

  /** The device id from CONN_INIT, after respond(). */
  public UUID deviceId() {
    if (deviceId == null) {
      throw new IllegalStateException("deviceId is known only after respond() accepted CONN_INIT");
    }
    return deviceId;
  }

  /** The client's 32-byte CONN_INIT nonce, after respond(). */
  public byte[] clientNonce() {
    if (clientNonce == null) {
      throw new IllegalStateException("the nonce is known only after respond() accepted CONN_INIT");
    }
    return clientNonce.clone();
  }

  public ServerIdentity identity() {
    return identity;
  }

  private void require(State expected) {
    if (state != expected) {
      throw new IllegalStateException("handshake is " + state + ", expected " + expected);
    }
  }

  byte[] ephemeralPublicRaw() {
    return ephemeralPublicRaw.clone();
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
    return "ServerHandshake[" + state + (deviceId == null ? "" : ", device " + deviceId) + "]";
  }
}
