package io.parley.client.e2e;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * The end-to-end layer's primitives: X25519 and HKDF from BouncyCastle (the JDK 17 X25519 provider is
 * several times slower, see docs/benchmarks.md), SHA-256 and AES-256-GCM from the JDK.
 */
final class Primitives {
  static final int KEY_BYTES = 32;
  static final int GCM_NONCE_BYTES = 12;
  static final int GCM_TAG_BYTES = 16;

  static final SecureRandom RANDOM = new SecureRandom();

  private Primitives() {}

  static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  static byte[] ascii(String label) {
    return label.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * X25519(own, peer). Refuses a low-order peer point (all-zero secret, RFC 7748 §6.1): such a key
   * would make the wrap key independent of the recipient's secret.
   */
  static byte[] x25519(X25519PrivateKeyParameters own, byte[] peerRaw) throws E2eException {
    if (peerRaw.length != KEY_BYTES) {
      throw new E2eException("not an X25519 public key");
    }
    byte[] shared = new byte[X25519PrivateKeyParameters.SECRET_SIZE];
    X25519Agreement agreement = new X25519Agreement();
    agreement.init(own);
    try {
      agreement.calculateAgreement(new X25519PublicKeyParameters(peerRaw, 0), shared, 0);
    } catch (IllegalStateException e) {
      throw new E2eException("low-order X25519 public key");
    }
    if (MessageDigest.isEqual(shared, new byte[shared.length])) {
      throw new E2eException("low-order X25519 public key");
    }
    return shared;
  }

  static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    generator.generateBytes(out, 0, length);
    return out;
  }

  static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] aad) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BYTES * 8, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable", e);
    }
  }

  /** Opens an AES-256-GCM box; a wrong key, nonce, AAD or any altered byte fails the tag. */
  static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext, byte[] aad) throws E2eException {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BYTES * 8, nonce));
      cipher.updateAAD(aad);
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new E2eException("authentication tag does not match");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable", e);
    }
  }
}
