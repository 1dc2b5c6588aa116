package io.parley.shared.channel;

import io.parley.shared.crypto.HandshakeException;

/**
 * What the client learned from a verified CONN_ENCRYPT_S: the server's identity key. The signature
 * only proves the server holds this key; the caller decides whether to trust it by its fingerprint.
 */
public record ServerHello(String identityKeyPem, byte[] identityKeyRaw, String fingerprint) {

  public ServerHello {
    identityKeyRaw = identityKeyRaw.clone();
  }

  @Override
  public byte[] identityKeyRaw() {
    return identityKeyRaw.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServerHello that
        && identityKeyPem.equals(that.identityKeyPem)
        && java.util.Arrays.equals(identityKeyRaw, that.identityKeyRaw)
        && fingerprint.equals(that.fingerprint);
  }

  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  @Override
  public String toString() {
    return "ServerHello[fingerprint=" + fingerprint + "]";
  }

  /** Aborts the handshake unless the identity key has the pinned fingerprint. */
  public void requireFingerprint(String pinned) throws HandshakeException {
    if (!Fingerprints.matches(pinned, fingerprint)) {
      throw new HandshakeException(
          "server identity key fingerprint " + fingerprint + " does not match the pinned " + pinned);
    }
  }
}
