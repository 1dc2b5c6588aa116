package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the bench can see of the server processes on this machine, from /proc and jcmd: CPU time
 * (utime + stime of a process and its direct children, so a PostgreSQL postmaster's backends count),
 * resident memory, and the JVM heap after a full GC. Every method is blocking: call it from the main
 * thread, never from an event loop.
 */
final class ServerProbe {
  static final double TICKS_PER_SECOND = ProcCpu.TICKS_PER_SECOND;

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final List<Long> pids;

  /** {@code spec}: comma-separated pids, the Parley JVM first; empty when the bench was not told. */
  ServerProbe(String spec) {
    List<Long> parsed = new ArrayList<>();
    for (String part : spec.split(",")) {
      if (!part.isBlank()) {
        parsed.add(Long.parseLong(part.trim()));
      }
    }
    this.pids = List.copyOf(parsed);
  }

  private ServerProbe(List<Long> pids) {
    this.pids = List.copyOf(pids);
  }

  /** This probe, also watching {@code pid} unless it already counts it (as a descendant of a watched process). */
  ServerProbe watching(long pid) {
    if (serverTree().contains(pid)) {
      return this;
    }
    List<Long> more = new ArrayList<>(pids);
    more.add(pid);
    return new ServerProbe(more);
  }

  boolean present() {
    return !pids.isEmpty();
  }

  List<Long> pids() {
    return pids;
  }

  /** The Parley JVM (the first pid given). */
  Optional<Long> jvm() {
    return pids.isEmpty() ? Optional.empty() : Optional.of(pids.get(0));
  }

  /** CPU ticks (utime + stime) of {@code pid} and its live direct children; 0 when it is gone. */
  static long cpuTicks(long pid) {
    long total = ProcCpu.ownTicks(pid);
    for (long child : ProcCpu.children(pid)) {
      total += ProcCpu.ownTicks(child);
    }
    return total;
  }

  static String command(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /** VmRSS in kB, or -1. */
  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Runs a full GC in the JVM {@code pid} ({@code jcmd GC.run}) and returns its used heap in kB, or -1.
   * When {@code pid} is this process (a test with the server in-process), System.gc() and the
   * MemoryMXBean do the same without starting a jcmd JVM.
   */
  static long heapUsedAfterGcKb(long pid) {
    if (pid == ProcessHandle.current().pid()) {
      System.gc();
      return heapUsedKb(pid);
    }
    try {
      jcmd(pid, "GC.run");
      return heapUsedKb(pid);
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Used heap of the JVM {@code pid} in kB as it is now, garbage included ({@code jcmd GC.heap_info}), or -1. */
  static long heapUsedKb(long pid) {
    if (pid == ProcessHandle.current().pid()) {
      return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
    }
    try {
      Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> line = new ArrayList<>(List.of(Files.exists(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid)));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("jcmd " + String.join(" ", command) + " did not finish in 60 s");
    }
    return new String(out, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Starts a JFR recording (settings=profile) named {@code name} in the JVM {@code pid}; false when jcmd failed. */
  static boolean jfrStart(long pid, String name) {
    return jcmdQuietly(pid, "JFR.start", "name=" + name, "settings=profile");
  }

  /** Stops the recording and writes it to {@code file}. */
  static boolean jfrStop(long pid, String name, Path file) {
    return jcmdQuietly(pid, "JFR.stop", "name=" + name, "filename=" + file.toAbsolutePath());
  }

  private static boolean jcmdQuietly(long pid, String... command) {
    try {
      String out = jcmd(pid, command);
      return !out.contains("Exception") && !out.contains("Could not");
    } catch (IOException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The 1-minute load average and the rest of /proc/loadavg, e.g. "2.31 1.80 1.20 3/400 1234". */
  static String loadavg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * CPU ticks of every watched process (with its direct children), in order, then of the bench
   * itself, then of the whole server: the watched processes and all their descendants, each once.
   */
  long[] cpuSnapshot() {
    long[] ticks = new long[pids.size() + 2];
    for (int i = 0; i < pids.size(); i++) {
      ticks[i] = cpuTicks(pids.get(i));
    }
    ticks[pids.size()] = selfTicks();
    ticks[pids.size() + 1] = ProcCpu.treeTicks(pids);
    return ticks;
  }

  /** CPU-ms the server spent between two snapshots (every watched process and its descendants, once). */
  double serverCpuMs(long[] before, long[] after) {
    return ProcCpu.millis(after[pids.size() + 1] - before[pids.size() + 1]);
  }

  /** CPU-ms the bench spent between two snapshots. */
  double benchCpuMs(long[] before, long[] after) {
    return ProcCpu.millis(after[pids.size()] - before[pids.size()]);
  }

  /** The pids of the server as the CPU figures count them: the watched processes and their descendants. */
  java.util.Set<Long> serverTree() {
    return ProcCpu.treeOf(pids);
  }

  /** "comm:pid" → CPU in percent of one core between two snapshots (200 = both cores of this machine). */
  io.vertx.core.json.JsonObject cpuPercent(long[] before, long[] after, double seconds) {
    io.vertx.core.json.JsonObject out = new io.vertx.core.json.JsonObject();
    for (int i = 0; i <= pids.size(); i++) {
      String name = i < pids.size() ? command(pids.get(i)) + ":" + pids.get(i) : "bench";
      out.put(name, Math.round((after[i] - before[i]) / TICKS_PER_SECOND / seconds * 100.0));
    }
    return out;
  }

  static long selfTicks() {
    return ProcCpu.ownTicks(ProcessHandle.current().pid());
  }
}
