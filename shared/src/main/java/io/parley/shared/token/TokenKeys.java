package io.parley.shared.token;

import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.crypto.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing key pair for session tokens: Ed25519, JWS algorithm {@code EdDSA} (RFC 8037).
 *
 * <p>Why EdDSA and not ES256, both of which vertx-auth-jwt 5.0.7 signs and verifies (5,000-token
 * sign→verify loops passed for both against the real jar):
 * <ul>
 *   <li>Deterministic signatures of a fixed 64 bytes. ES256 needs a fresh random nonce per signature
 *       (a weak one leaks the key), and vertx-auth-jwt transcodes ECDSA signatures between JOSE r‖s
 *       and JCA's DER, deciding which one it was handed with a heuristic {@code JWS.isASN1} check.
 *       Ed25519 has no such conversion step to get wrong.</li>
 *   <li>Speed: through vertx-auth-jwt on JDK 17 a verify costs ~760 µs for EdDSA against ~1,250 µs
 *       for ES256; with BouncyCastle's lightweight Ed25519, which {@link TokenVerifier} uses, ~80 µs.
 *       No such fast path exists for P-256 in the libraries we already ship.</li>
 *   <li>It is the curve of the server identity key, so operators handle one kind of key file
 *       ({@code openssl genpkey -algorithm ed25519} produces a file {@link #load} reads).</li>
 * </ul>
 *
 * <p>The private key lives in a PKCS#8 PEM file; the public key is derived from it, and can be written
 * out as an SPKI PEM ({@link #writePublicKey}) for gateways, which only verify ({@link #loadPublic}).
 */
public final class TokenKeys {

  /** The JWS {@code alg} of every session token. */
  static final String JWS_ALGORITHM = "EdDSA";

  /** PKCS#8 v1 DER of an Ed25519 private key: this prefix, then the 32-byte seed (RFC 8410). */
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };
  private static final String PRIVATE_HEADER = "-----BEGIN PRIVATE KEY-----";
  private static final String PRIVATE_FOOTER = "-----END PRIVATE KEY-----";
  private static final int SEED_BYTES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(TokenKeys.class);

  /** Null for verification-only keys. */
  private final String privateKeyPem;
  private final Ed25519PublicKeyParameters publicKey;
  private final String publicKeyPem;
  /** Tokens verified with this key; they stay verified exactly as long as this key is the key. */
  private final VerifiedTokens verified = new VerifiedTokens(VerifiedTokens.CAPACITY);

  private TokenKeys(String privateKeyPem, byte[] publicKeyRaw) {
    this.privateKeyPem = privateKeyPem;
    // Decoding the point once here, instead of per verify, is part of why a verify is cheap.
    this.publicKey = new Ed25519PublicKeyParameters(publicKeyRaw, 0);
    this.publicKeyPem = Pem.encodePublic(Pem.KeyType.ED25519, publicKeyRaw);
  }

  /**
   * Loads the PKCS#8 PEM private key from privateKeyFile and derives the public key. When the file is
   * absent: with createIfAbsent (standalone mode), generates a key pair and publishes it atomically
   * (parent directories 700, file 600; when replicas race, all load the winner's key); without it
   * (clustered mode), fails, because a key generated per process would make each auth service
   * reject the others' tokens.
   *
   * @throws IOException naming the file and the problem: absent, unreadable, or not an Ed25519 key
   */
  public static TokenKeys load(Path privateKeyFile, boolean createIfAbsent) throws IOException {
    Path file = privateKeyFile.toAbsolutePath();
    if (!Files.exists(file)) {
      if (!createIfAbsent) {
        throw new NoSuchFileException(file.toString(), null,
            "session token signing key file does not exist. In clustered mode every auth service must be given "
                + "the same Ed25519 key (PKCS#8 PEM, e.g. from `openssl genpkey -algorithm ed25519`) through the "
                + "token key file setting (PARLEY_TOKEN_KEY_FILE); it is never generated per process in clustered "
                + "mode. Standalone mode creates it on first start.");
      }
      byte[] seed = new byte[SEED_BYTES];
      new SecureRandom().nextBytes(seed);
      try {
        KeyFiles.createSecret(file, privatePem(seed).getBytes(StandardCharsets.US_ASCII));
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    }
    // Read back whatever won a creation race.
    return readPrivate(file);
  }

  /**
   * Verification-only keys from an SPKI PEM public key file ({@code -----BEGIN PUBLIC KEY-----}, as
   * written by {@link #writePublicKey} or {@code openssl pkey -pubout}). Gateways need only this.
   *
   * @throws IOException naming the file when it is absent, unreadable or not an Ed25519 public key
   */
  public static TokenKeys loadPublic(Path publicKeyFile) throws IOException {
    Path file = publicKeyFile.toAbsolutePath();
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      String what = "session token public key file " + file;
      return new TokenKeys(null, Pem.decodePublic(Pem.KeyType.ED25519, text.strip(), what));
    } catch (HandshakeException e) {
      throw new IOException(e.getMessage());
    }
  }

  /** A fresh key pair that lives only in memory (tests, throwaway servers). */
  public static TokenKeys generate() {
    byte[] seed = new byte[SEED_BYTES];
    new SecureRandom().nextBytes(seed);
    try {
      return fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The public key as SPKI PEM: what gateways need to verify tokens. */
  public String publicKeyPem() {
    return publicKeyPem;
  }

  /** False for keys from {@link #loadPublic}: they verify tokens but cannot issue them. */
  public boolean canSign() {
    return privateKeyPem != null;
  }

  /** Writes the public key as SPKI PEM (mode 644, replaced atomically) so operators can hand it to gateways. */
  public void writePublicKey(Path file) throws IOException {
    KeyFiles.replacePublic(file.toAbsolutePath(), publicKeyPem.getBytes(StandardCharsets.US_ASCII));
  }

  /** The private key as PKCS#8 PEM, the form vertx-auth-jwt's PubSecKeyOptions takes. */
  String privateKeyPem() {
    if (privateKeyPem == null) {
      throw new IllegalStateException("verification-only token keys cannot sign");
    }
    return privateKeyPem;
  }

  Ed25519PublicKeyParameters publicKey() {
    return publicKey;
  }

  VerifiedTokens verified() {
    return verified;
  }

  @Override
  public String toString() {
    return "TokenKeys[" + JWS_ALGORITHM + (canSign() ? ", can sign" : ", verify only") + "]";
  }

  private static TokenKeys fromSeed(byte[] seed) {
    byte[] publicRaw = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    return new TokenKeys(privatePem(seed), publicRaw);
  }

  private static TokenKeys readPrivate(Path file) throws IOException {
    if (KeyFiles.openToOthers(file)) {
      LOG.warn("session token key file {} is readable by group or others; chmod 600 it", file);
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip().replace("\r\n", "\n");
    String problem = "session token key file " + file;
    if (!text.startsWith(PRIVATE_HEADER + "\n") || !text.endsWith("\n" + PRIVATE_FOOTER)) {
      throw new IOException(problem + " is not a PKCS#8 PEM private key (" + PRIVATE_HEADER + ")");
    }
    String body = text.substring(PRIVATE_HEADER.length(), text.length() - PRIVATE_FOOTER.length());
    byte[] der = null;
    byte[] seed = null;
    try {
      der = Base64.getMimeDecoder().decode(body);
      EdECPrivateKey key = (EdECPrivateKey) KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      seed = key.getBytes().orElseThrow(() -> new IOException(problem + ": private key not extractable"));
      return fromSeed(seed);
    } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
      throw new IOException(problem + " does not hold an Ed25519 private key", e);
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  private static String privatePem(byte[] seed) {
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + seed.length);
    System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, seed.length);
    try {
      String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
      return PRIVATE_HEADER + "\n" + body + "\n" + PRIVATE_FOOTER + "\n";
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }
}
