package io.parley.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One fault injected into a process of this machine during a fixed-rate load: {@code kill} (SIGKILL:
 * a crash, the OOM killer; whoever supervises the process restarts it or not) or {@code stop}
 * (SIGSTOP, then SIGCONT after {@code forS}: a long GC pause, CPU throttling, a frozen VM). The target
 * is a pid, or the process listening on a port, resolved when the run starts so that a wrong target
 * fails before any load.
 */
record Fault(Kind kind, long pid, String command, double atS, double forS) {
  enum Kind {
    KILL,
    STOP;

    static Kind parse(String flag) {
      try {
        return valueOf(flag.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--fault " + flag + ": expected kill or stop");
      }
    }
  }

  /** The fault the flags describe; {@code runS} is the load's length, which the fault must fall inside. */
  static Fault fromFlags(Flags flags, double runS) {
    Kind kind = Kind.parse(flags.get("fault"));
    long pid = target(flags.get("fault-pid"), flags.get("fault-port"));
    if (pid == ProcessHandle.current().pid()) {
      throw new IllegalArgumentException("the fault target is the bench itself (pid " + pid + ")");
    }
    double atS = flags.getDouble("fault-at-s");
    double forS = kind == Kind.STOP ? flags.getDouble("fault-for-s") : 0;
    if (atS <= 0 || atS + forS >= runS) {
      throw new IllegalArgumentException(String.format(
          "--fault-at-s %.1f (+ --fault-for-s %.1f) must fall inside the load of --run-s %.1f", atS, forS, runS));
    }
    return new Fault(kind, pid, ServerProbe.command(pid), atS, forS);
  }

  private static long target(String pidFlag, String portFlag) {
    if (pidFlag.isEmpty() == portFlag.isEmpty()) {
      throw new IllegalArgumentException("--fault needs exactly one target: --fault-pid PID or --fault-port PORT");
    }
    if (!pidFlag.isEmpty()) {
      long pid = Long.parseLong(pidFlag);
      if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
        throw new IllegalArgumentException("--fault-pid " + pid + ": no such process");
      }
      return pid;
    }
    int port = Integer.parseInt(portFlag);
    return ListeningProcess.on(port).orElseThrow(() -> new IllegalArgumentException(
        "--fault-port " + port + ": no process of this machine listens on it (or it belongs to another user)"));
  }

  /** Sends the fault's signal: SIGKILL or SIGSTOP. */
  void inject() throws IOException, InterruptedException {
    signal(kind == Kind.KILL ? "KILL" : "STOP");
  }

  /** SIGCONT for a stopped process; nothing for a killed one. Safe to call twice. */
  void heal() throws IOException, InterruptedException {
    if (kind == Kind.STOP) {
      signal("CONT");
    }
  }

  String describe() {
    String what = kind == Kind.KILL ? "SIGKILL" : String.format("SIGSTOP for %.0f s", forS);
    return String.format("%s of %s:%d at %.0f s", what, command, pid, atS);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("fault", kind.name().toLowerCase(Locale.ROOT))
        .put("target", command + ":" + pid)
        .put("fault_at_s", atS)
        .put("fault_for_s", forS);
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).redirectErrorStream(true).start();
    String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -s " + name + " " + pid + " failed: " + out);
    }
  }
}
