package io.parley.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether to trust the server identity a handshake proved. A configured fingerprint must
 * match exactly. Otherwise trust on first use: the first fingerprint seen for host:port is written to
 * the known-servers file (one {@code host:port fingerprint} line each) and every later connection must
 * present the same one — a changed key aborts, as with SSH.
 */
final class ServerPinning {
  private ServerPinning() {}

  /** What pinning decided; {@code firstUse} tells the caller to show the fingerprint to the user. */
  record Verdict(String fingerprint, boolean firstUse) {}

  static Verdict verify(ClientOptions options, String presented) throws IdentityMismatchException {
    String server = options.host() + ":" + options.port();
    if (options.pinnedFingerprint() != null) {
      if (!normalize(options.pinnedFingerprint()).equals(presented)) {
        throw new IdentityMismatchException(server, options.pinnedFingerprint(), presented);
      }
      return new Verdict(presented, false);
    }
    Path file = options.knownServersFile();
    Optional<String> known = lookup(file, server);
    if (known.isPresent()) {
      if (!known.get().equals(presented)) {
        throw new IdentityMismatchException(server, known.get(), presented);
      }
      return new Verdict(presented, false);
    }
    remember(file, server, presented);
    return new Verdict(presented, true);
  }

  private static Optional<String> lookup(Path file, String server) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 2 && parts[0].equals(server)) {
          return Optional.of(normalize(parts[1]));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read known servers file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void remember(Path file, String server, String fingerprint) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(
          file,
          server + " " + fingerprint + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write known servers file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String normalize(String fingerprint) {
    return fingerprint.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
  }
}
