package io.parley.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a result row needs to be reproduced: the commit the bench was built from and the JVM flags
 * the server runs with. The commit comes from {@code git rev-parse HEAD} in the working directory
 * (the repository the commands of docs/benchmarks.md run from), marked {@code -dirty} when the tree
 * has changes; the flags from the server's {@code /proc/PID/cmdline}.
 */
final class RunProvenance {
  private RunProvenance() {}

  /** The commit of the working directory's repository, or "unknown" outside one. */
  static String commit() {
    String head = git("rev-parse", "--short=12", "HEAD");
    if (head.isEmpty()) {
      return "unknown";
    }
    return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "-dirty";
  }

  /** The JVM options of process {@code pid} (everything before the main class or -jar), or empty. */
  static List<String> jvmFlags(long pid) {
    try {
      return jvmFlags(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The JVM options in a NUL-separated command line: the arguments after the launcher up to the main class or -jar. */
  static List<String> jvmFlags(byte[] cmdline) {
    String[] args = new String(cmdline, StandardCharsets.UTF_8).split("\0");
    List<String> flags = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-") || arg.equals("-jar") || arg.equals("-m") || arg.equals("--module")) {
        break;
      }
      flags.add(arg);
      if ((arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) && i + 1 < args.length) {
        flags.add(args[++i]);
      }
    }
    return flags;
  }

  private static String git(String... command) {
    List<String> line = new ArrayList<>(List.of("git"));
    line.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(line).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "";
      }
      return process.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
