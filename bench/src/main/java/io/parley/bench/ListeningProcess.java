package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The process that listens on a TCP port of this machine, found the way {@code ss -p} finds it: the
 * socket's inode from the LISTEN rows of {@code /proc/net/tcp} and {@code tcp6}, then the process
 * holding a descriptor {@code socket:[inode]} under {@code /proc/<pid>/fd}. So an embedded Redis or
 * PostgreSQL is named by the port in the server's banner, with no pid file to know about. Linux only;
 * processes of another user are visible to root alone.
 */
final class ListeningProcess {
  /** {@code st} of a listening socket in /proc/net/tcp. */
  private static final String LISTEN = "0A";

  private ListeningProcess() {}

  /** The lowest pid holding a listening socket on {@code port} (PostgreSQL's backends close theirs). */
  static Optional<Long> on(int port) {
    Set<String> inodes = listeningInodes(port);
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    try (var processes = Files.list(Path.of("/proc"))) {
      return processes
          .map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .sorted()
          .filter(pid -> holdsAny(pid, inodes))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Set<String> listeningInodes(int port) {
    Set<String> inodes = new HashSet<>();
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        continue;
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals(LISTEN)) {
          inodes.add(fields[9]);
        }
      }
    }
    return inodes;
  }

  private static boolean holdsAny(long pid, Set<String> inodes) {
    try (var descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return descriptors.anyMatch(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          return target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1));
        } catch (IOException | UnsupportedOperationException e) {
          return false;
        }
      });
    } catch (IOException | SecurityException e) {
      return false; // gone, or another user's
    }
  }
}
