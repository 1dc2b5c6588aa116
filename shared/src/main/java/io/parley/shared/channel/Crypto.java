package io.parley.shared.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPrivateKeySpec;
import javax.crypto.KeyAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * The primitives of the channel, in one place. The JDK does X25519, Ed25519, SHA-256 and AES-GCM;
 * BouncyCastle only fills the gaps (HKDF, and the public key of a raw private key).
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

  // --- X25519 ---

  static PrivateKey x25519PrivateKey(byte[] raw) {
    checkLength(raw, Pem.RAW_KEY_BYTES, "X25519 private key");
    try {
      return KeyFactory.getInstance("XDH").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, raw.clone()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK refused an X25519 private key", e);
    }
  }

  static byte[] x25519PublicRaw(byte[] rawPrivate) {
    checkLength(rawPrivate, Pem.RAW_KEY_BYTES, "X25519 private key");
    return new X25519PrivateKeyParameters(rawPrivate, 0).generatePublicKey().getEncoded();
  }

  /**
   * X25519(own private, peer public). Low-order peer points give an all-zero secret (RFC 7748 §6.1);
   * the JDK already refuses them and the explicit check keeps that rule independent of the provider.
   */
  static byte[] x25519(PrivateKey own, byte[] peerRaw, String what) throws HandshakeException {
    PublicKey peer;
    try {
      peer = KeyFactory.getInstance("XDH").generatePublic(new X509EncodedKeySpec(Pem.spki(Pem.KeyType.X25519, peerRaw)));
    } catch (InvalidKeySpecException e) {
      throw new HandshakeException(what + ": not a valid X25519 public key");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks XDH", e);
    }
    byte[] shared;
    try {
      KeyAgreement agreement = KeyAgreement.getInstance("XDH");
      agreement.init(own);
      agreement.doPhase(peer, true);
      shared = agreement.generateSecret();
    } catch (InvalidKeyException | IllegalStateException e) {
      throw new HandshakeException(what + ": low-order X25519 point (all-zero shared secret)");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks XDH", e);
    }
    if (MessageDigest.isEqual(shared, new byte[shared.length])) {
      throw new HandshakeException(what + ": low-order X25519 point (all-zero shared secret)");
    }
    return shared;
  }

  // --- Ed25519 ---

  static PrivateKey ed25519PrivateKey(byte[] seed) {
    checkLength(seed, Pem.RAW_KEY_BYTES, "Ed25519 seed");
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK refused an Ed25519 seed", e);
    }
  }

  static byte[] ed25519PublicRaw(byte[] seed) {
    checkLength(seed, Pem.RAW_KEY_BYTES, "Ed25519 seed");
    return new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
  }

  static byte[] ed25519Sign(PrivateKey key, byte[] message) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** False for a bad signature and for a public key that is not a valid point. */
  static boolean ed25519Verify(byte[] publicRaw, byte[] message, byte[] signature) {
    try {
      PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Pem.spki(Pem.KeyType.ED25519, publicRaw)));
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (InvalidKeySpecException | InvalidKeyException | java.security.SignatureException e) {
      return false;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks Ed25519", e);
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
