package io.parley.shared.channel;

import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.crypto.Pem;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's long-term Ed25519 identity key. It signs every handshake; clients pin its fingerprint.
 * All gateway replicas load the same file (DESIGN §2), so creating it must be atomic: two replicas
 * starting at once on a shared volume end up with one key, not two.
 */
public final class ServerIdentity {

  /** PKCS#8 v1 DER of an Ed25519 private key: this prefix, then the 32-byte seed (RFC 8410). */
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };
  private static final Set<PosixFilePermission> DIR_700 = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_600 = PosixFilePermissions.fromString("rw-------");

  private static final Logger LOG = LoggerFactory.getLogger(ServerIdentity.class);

  private final Ed25519PrivateKeyParameters privateKey;
  private final byte[] publicKeyRaw;
  private final String publicKeyPem;
  private final String fingerprint;

  private ServerIdentity(byte[] seed) {
    this.privateKey = Crypto.ed25519PrivateKey(seed);
    this.publicKeyRaw = Crypto.ed25519PublicRaw(seed);
    this.publicKeyPem = Pem.encodePublic(Pem.KeyType.ED25519, publicKeyRaw);
    this.fingerprint = Fingerprints.of(publicKeyRaw);
  }

  /** The identity whose Ed25519 private key is this 32-byte seed (RFC 8032). */
  public static ServerIdentity fromSeed(byte[] seed32) {
    if (seed32.length != Pem.RAW_KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed32.length);
    }
    return new ServerIdentity(seed32);
  }

  /** A fresh identity that lives only in memory (tests, throwaway servers). */
  public static ServerIdentity generate(SecureRandom random) {
    byte[] seed = new byte[Pem.RAW_KEY_BYTES];
    random.nextBytes(seed);
    try {
      return new ServerIdentity(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Loads the key from a PKCS#8 PEM file ({@code -----BEGIN PRIVATE KEY-----}, as written by this
   * method, {@code openssl genpkey -algorithm ed25519} or Node). When the file is absent, creates it
   * with a fresh key: parent directories with mode 700, the file with mode 600, published atomically
   * so a concurrent reader never sees a partial key and a concurrent creator's key wins over ours.
   *
   * @throws IOException naming the file when it cannot be read or written, or holds no Ed25519 key
   */
  public static ServerIdentity loadOrCreate(Path pkcs8PemFile) throws IOException {
    Path file = pkcs8PemFile.toAbsolutePath();
    if (Files.exists(file)) {
      return load(file);
    }
    Path dir = file.getParent();
    boolean posix = Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView(PosixFileAttributeView.class);
    if (posix) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_700));
    } else {
      Files.createDirectories(dir);
    }
    byte[] seed = new byte[Pem.RAW_KEY_BYTES];
    new SecureRandom().nextBytes(seed);
    try {
      byte[] pem = pkcs8Pem(seed).getBytes(StandardCharsets.US_ASCII);
      FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_600)} : new FileAttribute<?>[0];
      Path tmp = Files.createTempFile(dir, ".identity-", ".tmp", attrs);
      try {
        Files.write(tmp, pem);
        publish(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
    // Read back whatever won a creation race, so every replica uses the same key.
    return load(file);
  }

  /** Links tmp as file, failing if file appeared meanwhile (rename would silently replace it). */
  private static void publish(Path tmp, Path file) throws IOException {
    try {
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException e) {
      // Another process created it first: use theirs.
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(file)) {
        return;
      }
      // No hard links on this file system: an atomic rename is the next best thing.
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static Path existingAncestor(Path dir) {
    Path p = dir;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? dir.getRoot() : p;
  }

  private static ServerIdentity load(Path file) throws IOException {
    warnIfOpenToOthers(file);
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    byte[] seed = null;
    try {
      byte[] der = Pem.dearmor(Pem.PRIVATE_HEADER, Pem.PRIVATE_FOOTER, text.strip(), file.toString());
      PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      seed = ((EdECPrivateKey) key).getBytes()
          .orElseThrow(() -> new IOException("identity key file " + file + ": private key not extractable"));
      return fromSeed(seed);
    } catch (HandshakeException e) {
      throw new IOException("identity key file " + file + " is not a PKCS#8 PEM private key: " + e.getMessage());
    } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
      throw new IOException("identity key file " + file + " does not hold an Ed25519 private key", e);
    } finally {
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  private static void warnIfOpenToOthers(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      perms.retainAll(Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
      if (!perms.isEmpty()) {
        LOG.warn("identity key file {} is readable by group or others; chmod 600 it", file);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system (or a Secret mount that hides modes): nothing useful to say.
    }
  }

  static String pkcs8Pem(byte[] seed) {
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + seed.length);
    System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, seed.length);
    return Pem.armor(Pem.PRIVATE_HEADER, Pem.PRIVATE_FOOTER, der);
  }

  /** The Ed25519 public key as SPKI PEM, exactly as sent in CONN_ENCRYPT_S.server_idkey. */
  public String publicKeyPem() {
    return publicKeyPem;
  }

  public byte[] publicKeyRaw() {
    return publicKeyRaw.clone();
  }

  /** Lowercase hex SHA-256 of the raw public key: what operators publish and clients pin. */
  public String fingerprint() {
    return fingerprint;
  }

  byte[] sign(byte[] message) {
    return Crypto.ed25519Sign(privateKey, message);
  }

  @Override
  public String toString() {
    return "ServerIdentity[" + fingerprint + "]";
  }
}
