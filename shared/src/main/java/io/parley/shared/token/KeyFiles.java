package io.parley.shared.token;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Atomic publication of key files, the same way {@code channel.ServerIdentity} creates the identity
 * key: every auth service replica on a shared volume must end up with one key, and a reader must never
 * see half a file.
 */
final class KeyFiles {

  private static final Set<PosixFilePermission> DIR_700 = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_600 = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> FILE_644 = PosixFilePermissions.fromString("rw-r--r--");

  private KeyFiles() {}

  /**
   * Writes content as file (mode 600, parent directories 700) unless file already exists; when
   * another process publishes first, its file wins and ours is discarded.
   */
  static void createSecret(Path file, byte[] content) throws IOException {
    Path dir = file.getParent();
    boolean posix = isPosix(dir);
    if (posix) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_700));
    } else {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, ".token-key-", ".tmp", attrs(posix, FILE_600));
    try {
      Files.write(tmp, content);
      try {
        // A hard link fails if file appeared meanwhile, where a rename would silently replace it.
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        // Another replica created it first: use theirs.
      } catch (UnsupportedOperationException | IOException e) {
        if (!Files.exists(file)) {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes content as file (mode 644: a public key is meant to be copied), replacing it atomically. */
  static void replacePublic(Path file, byte[] content) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".token-pub-", ".tmp", attrs(isPosix(dir), FILE_644));
    try {
      Files.write(tmp, content);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Whether the file is readable by group or others (worth a warning for a private key). */
  static boolean openToOthers(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      perms.retainAll(Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
      return !perms.isEmpty();
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system (or a Secret mount that hides modes): nothing useful to say.
      return false;
    }
  }

  private static FileAttribute<?>[] attrs(boolean posix, Set<PosixFilePermission> perms) {
    return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)} : new FileAttribute<?>[0];
  }

  private static boolean isPosix(Path dir) throws IOException {
    Path p = dir;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return Files.getFileStore(p == null ? dir.getRoot() : p).supportsFileAttributeView(PosixFileAttributeView.class);
  }
}
