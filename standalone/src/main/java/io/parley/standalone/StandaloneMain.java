package io.parley.standalone;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.logging.LogSettings;
import java.io.PrintStream;

/**
 * {@code java -jar parley-standalone.jar}: starts Parley and prints where it listens.
 * {@code java -jar parley-standalone.jar infra}: starts only the embedded PostgreSQL and Redis
 * ({@link InfraMain}).
 */
public final class StandaloneMain {
  private StandaloneMain() {}

  public static void main(String[] args) throws Exception {
    ParleyConfig config = ParleyConfig.fromEnvironment();
    if (args.length > 0 && !args[0].equals("infra")) {
      System.err.println("usage: java -jar parley-standalone.jar [infra]");
      System.exit(2);
    }
    Standalone parley;
    try {
      LogSettings.apply(config);
      if (args.length > 0) {
        InfraMain.run(config);
        return;
      }
      parley = Standalone.start(config);
    } catch (Exception e) {
      System.err.println("Parley failed to start: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    parley.close();
                  } catch (Exception e) {
                    System.err.println("Parley shutdown: " + e.getMessage());
                  }
                },
                "parley-shutdown"));
    printBanner(System.out, parley);
  }

  static void printBanner(PrintStream out, Standalone parley) {
    ParleyConfig config = parley.config();
    String host = config.get(ConfigKey.BIND_HOST);
    out.println();
    out.println("Parley is running (standalone: every service in this process)");
    out.println("  TCP         " + host + ":" + parley.tcpPort());
    out.println("  WebSocket   ws://" + host + ":" + parley.wsPort() + "/ws");
    out.println("  Web         http://" + host + ":" + parley.wsPort() + "/  (Parley Web: open it in a browser)");
    out.println("  Health      http://" + host + ":" + parley.httpPort() + "/health/ready  (and /health/live, /metrics)");
    out.println("  Identity    " + parley.fingerprint() + "  (clients pin this fingerprint)");
    out.println("  Key file    " + config.getPath(ConfigKey.IDENTITY_KEY_FILE));
    parley
        .embedded()
        .ifPresentOrElse(
            servers -> {
              out.println("  PostgreSQL  embedded, port " + servers.postgresPort() + ", data in " + servers.dataDir().resolve("postgres"));
              out.println("  Redis       embedded, " + servers.redisUrl() + ", data in " + servers.dataDir().resolve("redis"));
            },
            () -> out.println("  Databases   as configured by PARLEY_PG_URL and PARLEY_REDIS_URL"));
    out.println("  Migrations  applied for schemas auth, room, message");
    out.println("Stop with Ctrl-C.");
    out.println();
  }
}
