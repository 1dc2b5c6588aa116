package io.parley.standalone.cluster;

import io.parley.shared.service.ServiceLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One Parley service in its own JVM, started from this test's classpath with its configuration in
 * the environment, exactly as a deployment runs a service jar. Its output goes to a log file; the
 * process is ready when it prints {@link ServiceLauncher#READY_MARKER}.
 */
final class ServiceProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread pump;
  /** The process its supervisor started in its place, or null when none was. */
  final CompletableFuture<ServiceProcess> successor = new CompletableFuture<>();

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    pump = new Thread(this::pumpOutput, "output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  static ServiceProcess start(String name, String mainClass, Map<String, String> env, Path logDir) throws IOException {
    return start(name, mainClass, System.getProperty("java.class.path"), env, logDir);
  }

  /** As {@link #start(String, String, Map, Path)} with the given class path instead of this test's. */
  static ServiceProcess start(String name, String mainClass, String classPath, Map<String, String> env, Path logDir)
      throws IOException {
    return start(name, mainClass, classPath, env, logDir, List.of());
  }

  /** As above, with arguments for the main class. */
  static ServiceProcess start(
      String name, String mainClass, String classPath, Map<String, String> env, Path logDir, List<String> args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(
        java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", classPath, mainClass));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_"));
    builder.environment().putAll(env);
    // A process started again in the place of one that exited keeps the first one's log apart.
    Path log = logDir.resolve(name + ".log");
    for (int incarnation = 2; Files.exists(log); incarnation++) {
      log = logDir.resolve(name + "-" + incarnation + ".log");
    }
    return new ServiceProcess(name, builder.start(), log);
  }

  private void pumpOutput() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.println(line);
        if (line.startsWith(ServiceLauncher.READY_MARKER)) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      // The process ended; its log says why.
    }
  }

  void awaitReady(long seconds) throws InterruptedException, IOException {
    if (!ready.await(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " (pid " + pid() + ") not ready within " + seconds + " s; alive=" + process.isAlive()
          + "; log tail:\n" + tail());
    }
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, as Kubernetes stops a pod; returns at once (see {@link #awaitExit}). Not
   * {@link Process#destroy()}, which also closes our end of its output: its last lines would be lost.
   */
  void terminate() throws IOException, InterruptedException {
    signal("TERM");
  }

  /** SIGSTOP: the process keeps its sockets and its cluster membership but runs nothing, as in a long GC pause. */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: a frozen process runs again, unaware that time passed. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed");
    }
  }

  /** The exit status once the process has ended within {@code seconds}, else empty. */
  OptionalInt awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
  }

  /** Completes with the exit status when the process ends. */
  CompletableFuture<Integer> exited() {
    return process.onExit().thenApply(Process::exitValue);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Whether any line this process printed so far contains {@code text}. */
  boolean printed(String text) throws IOException {
    return Files.exists(log) && Files.readAllLines(log, StandardCharsets.UTF_8).stream().anyMatch(line -> line.contains(text));
  }

  String tail() throws IOException {
    if (!Files.exists(log)) {
      return "(no output)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Every line the process printed; after {@link #close()}, including its shutdown. */
  List<String> lines() throws IOException {
    return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    pump.join(TimeUnit.SECONDS.toMillis(10));
  }
}
