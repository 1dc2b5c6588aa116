package io.parley.shared.channel;

import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.crypto.Pem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The primitives of the channel, in one place. The JDK does SHA-256 and AES-GCM; BouncyCastle does
 * HKDF (missing from JDK 17) and the two curves (far faster than JDK 17's providers, see below).
 */
final class Crypto {

  static final int SHA256_BYTES = 32;
  static final int ED25519_SIGNATURE_BYTES = 64;

  private Crypto() {}

  static byte[] randomBytes(SecureRandom random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  static byte[] sha256(byte[]... parts) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  static byte[] ascii(String label) {
    return label.getBytes(StandardCharsets.US_ASCII);
  }

  // --- X25519 and Ed25519: BouncyCastle's lightweight API ---
  //
  // The JDK 17 providers do both curves, but measured on this project's 2-core reference machine they
  // cost ~310 µs (X25519 keygen + agreement) and ~650 µs (Ed25519 sign) per operation against ~112 µs
  // and ~32 µs for BouncyCastle's. The server does one of each per handshake, so the JDK would cap a
  // core at about a thousand handshakes per second; see docs/benchmarks.md.

  static X25519PrivateKeyParameters x25519PrivateKey(byte[] raw) {
    checkLength(raw, Pem.RAW_KEY_BYTES, "X25519 private key");
    return new X25519PrivateKeyParameters(raw, 0);
  }

  static byte[] x25519PublicRaw(byte[] rawPrivate) {
    return x25519PrivateKey(rawPrivate).generatePublicKey().getEncoded();
  }

  /**
   * X25519(own private, peer public). A low-order peer point gives an all-zero secret (RFC 7748
   * §6.1), which is refused: the peer would otherwise choose the session keys alone.
   */
  static byte[] x25519(X25519PrivateKeyParameters own, byte[] peerRaw, String what) throws HandshakeException {
    if (peerRaw.length != X25519PublicKeyParameters.KEY_SIZE) {
      throw new HandshakeException(what + ": not a valid X25519 public key");
    }
    byte[] shared = new byte[X25519PrivateKeyParameters.SECRET_SIZE];
    X25519Agreement agreement = new X25519Agreement();
    agreement.init(own);
    try {
      agreement.calculateAgreement(new X25519PublicKeyParameters(peerRaw, 0), shared, 0);
    } catch (IllegalStateException e) {
      // BouncyCastle refuses an all-zero result itself; the explicit check below does not rely on it.
      throw new HandshakeException(what + ": low-order X25519 point (all-zero shared secret)");
    }
    if (MessageDigest.isEqual(shared, new byte[shared.length])) {
      throw new HandshakeException(what + ": low-order X25519 point (all-zero shared secret)");
    }
    return shared;
  }

  static Ed25519PrivateKeyParameters ed25519PrivateKey(byte[] seed) {
    checkLength(seed, Pem.RAW_KEY_BYTES, "Ed25519 seed");
    return new Ed25519PrivateKeyParameters(seed, 0);
  }

  static byte[] ed25519PublicRaw(byte[] seed) {
    return ed25519PrivateKey(seed).generatePublicKey().getEncoded();
  }

  static byte[] ed25519Sign(Ed25519PrivateKeyParameters key, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** False for a bad signature and for a public key that is not a valid point. */
  static boolean ed25519Verify(byte[] publicRaw, byte[] message, byte[] signature) {
    if (publicRaw.length != Ed25519PublicKeyParameters.KEY_SIZE || signature.length != ED25519_SIGNATURE_BYTES) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(publicRaw, 0));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // --- HKDF-SHA256 (RFC 5869) ---

  static byte[] hkdfExtract(byte[] salt, byte[] ikm) {
    return new HKDFBytesGenerator(new SHA256Digest()).extractPRK(salt, ikm);
  }

  static byte[] hkdfExpand(byte[] prk, String info, int length) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(HKDFParameters.skipExtractParameters(prk, ascii(info)));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  private static void checkLength(byte[] bytes, int expected, String what) {
    if (bytes.length != expected) {
      throw new IllegalArgumentException("a raw " + what + " is " + expected + " bytes, got " + bytes.length);
    }
  }
}
