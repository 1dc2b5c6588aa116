package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CPU time of processes as Linux accounts it in /proc: utime + stime of a process (all its threads,
 * exited ones included), in clock ticks, and the tree of processes below one. A server's embedded
 * PostgreSQL and Redis are its descendants, so summing a deduplicated tree counts each process once
 * however the pids were given.
 */
final class ProcCpu {
  /** USER_HZ: /proc reports CPU times in clock ticks of 1/100 s on Linux. */
  static final double TICKS_PER_SECOND = 100.0;
  /** How deep a tree is followed: a JVM → postmaster → backends is three levels. */
  private static final int MAX_DEPTH = 8;

  private ProcCpu() {}

  /** utime + stime from the text of a /proc/PID/stat file. */
  static long ticksOf(String stat) {
    // The command name is parenthesised and may hold spaces and ')': fields start after the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15 of proc(5))
  }

  /** utime + stime of {@code pid} alone; 0 when it is gone. */
  static long ownTicks(long pid) {
    try {
      return ticksOf(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The live direct children of {@code pid} (from every thread's {@code task/TID/children}). */
  static List<Long> children(long pid) {
    List<Long> result = new ArrayList<>();
    try (var threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) threads::iterator) {
        Path file = task.resolve("children");
        if (Files.exists(file)) {
          for (String child : Files.readString(file).trim().split("\\s+")) {
            if (!child.isEmpty()) {
              result.add(Long.parseLong(child));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or /proc/<pid>/task/*/children not available: the process alone
    }
    return result;
  }

  /** {@code roots} and every live process below them, each once. */
  static Set<Long> treeOf(Collection<Long> roots) {
    Set<Long> seen = new LinkedHashSet<>();
    List<Long> level = new ArrayList<>(roots);
    for (int depth = 0; depth < MAX_DEPTH && !level.isEmpty(); depth++) {
      List<Long> next = new ArrayList<>();
      for (long pid : level) {
        if (seen.add(pid)) {
          next.addAll(children(pid));
        }
      }
      level = next;
    }
    return seen;
  }

  /** Summed utime + stime of {@code roots} and their descendants, each process counted once. */
  static long treeTicks(Collection<Long> roots) {
    long total = 0;
    for (long pid : treeOf(roots)) {
      total += ownTicks(pid);
    }
    return total;
  }

  /** Milliseconds of CPU in {@code ticks}. */
  static double millis(long ticks) {
    return ticks * 1000.0 / TICKS_PER_SECOND;
  }
}
