package io.parley.client.e2e;

import io.parley.shared.crypto.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * This device's X25519 chat key, its end-to-end identity: registered with CHAT_ENCRYPT_C, listed in
 * every room's key directory, used to unwrap message keys and to authenticate this device's messages.
 * Kept as PKCS#8 PEM (openssl reads it) in a file only the owner may read (mode 600); like ssh, a key
 * file that others can read is refused rather than used.
 */
public final class ChatKey {
  /** RFC 8410 PKCS#8 prefix of an X25519 private key: SEQUENCE, version 0, OID 1.3.101.110, OCTET STRING. */
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");

  private static final String HEADER = "-----BEGIN PRIVATE KEY-----";
  private static final String FOOTER = "-----END PRIVATE KEY-----";

  private final X25519PrivateKeyParameters privateKey;
  private final byte[] publicRaw;

  private ChatKey(X25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicRaw = privateKey.generatePublicKey().getEncoded();
  }

  public static ChatKey generate() {
    return new ChatKey(new X25519PrivateKeyParameters(Primitives.RANDOM));
  }

  /** Blocking: reads the key in {@code file}, or creates one (mode 600) when the file does not exist. */
  public static ChatKey loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    ChatKey key = generate();
    key.save(file);
    return key;
  }

  /** Blocking: reads a key file, refusing a corrupted or world-readable one with a message saying what to do. */
  public static ChatKey load(Path file) throws IOException {
    if (isPosix(file)) {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      for (PosixFilePermission p : mode) {
        if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
          throw new ChatKeyException(
              "chat key file " + file + " is accessible by other users (mode " + PosixFilePermissions.toString(mode)
                  + "); run: chmod 600 " + file);
        }
      }
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip().replace("\r\n", "\n");
    String[] lines = text.split("\n");
    if (lines.length < 3 || !lines[0].equals(HEADER) || !lines[lines.length - 1].equals(FOOTER)) {
      throw corrupted(file, "it is not a PEM private key");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(String.join("", Arrays.copyOfRange(lines, 1, lines.length - 1)));
    } catch (IllegalArgumentException e) {
      throw corrupted(file, "its PEM body is not valid base64");
    }
    if (der.length != PKCS8_PREFIX.length + Primitives.KEY_BYTES || !Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
      throw corrupted(file, "it does not hold an X25519 private key");
    }
    return new ChatKey(new X25519PrivateKeyParameters(der, PKCS8_PREFIX.length));
  }

  private static ChatKeyException corrupted(Path file, String why) {
    return new ChatKeyException(
        "chat key file " + file + " is corrupted: " + why + ". Restore it from a backup; or delete it and log in"
            + " again to register a new key (messages sent to the old key stay unreadable, and other members"
            + " will see this device's key change).");
  }

  /** Blocking: writes the key with mode 600 (created that way, never briefly readable), atomically. */
  public void save(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + Primitives.KEY_BYTES);
    System.arraycopy(privateKey.getEncoded(), 0, der, PKCS8_PREFIX.length, Primitives.KEY_BYTES);
    String pem = HEADER + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n" + FOOTER + "\n";
    writePrivate(file, pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes {@code bytes} to {@code file} through a mode-600 temp file and an atomic rename. */
  static void writePrivate(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp;
    if (isPosix(dir)) {
      tmp = Files.createTempFile(dir, ".tmp-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      tmp = Files.createTempFile(dir, ".tmp-", "");
    }
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean isPosix(Path path) {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix") && path.getFileSystem() == FileSystems.getDefault();
  }

  X25519PrivateKeyParameters privateKey() {
    return privateKey;
  }

  /** The raw 32-byte public key. */
  public byte[] publicKey() {
    return publicRaw.clone();
  }

  /** The public key as CHAT_ENCRYPT_C and the key directory carry it. */
  public String publicPem() {
    return Pem.encodePublic(Pem.KeyType.X25519, publicRaw);
  }

  /** What people compare out of band: SHA-256 of the raw public key, first 16 bytes, hex in groups of four. */
  public String fingerprint() {
    return fingerprint(publicRaw);
  }

  public static String fingerprint(byte[] publicRaw) {
    String hex = HexFormat.of().formatHex(Primitives.sha256(publicRaw), 0, 16);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 4) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(hex, i, i + 4);
    }
    return out.toString();
  }
}
