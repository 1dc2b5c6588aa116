package io.parley.standalone;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.EmbeddedServers;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar parley-standalone.jar infra}: only the embedded PostgreSQL and Redis, for Parley's
 * services run as separate processes on this machine (scripts/local-cluster.sh). Prints their URLs as
 * shell assignments, so a script can {@code eval} them; both listen on loopback only, PostgreSQL
 * without a password (trust for local connections), data under PARLEY_DATA_DIR. The servers are
 * restarted if they die, as in standalone mode.
 */
final class InfraMain {
  /** Printed after the URLs; scripts wait for it. */
  static final String READY_MARKER = "PARLEY READY infra";

  private InfraMain() {}

  /** Returns only when interrupted: the servers' supervision runs on daemon threads, this keeps the JVM. */
  static void run(ParleyConfig config) throws InterruptedException {
    EmbeddedServers servers = EmbeddedServers.start(config.getPath(ConfigKey.DATA_DIR));
    Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "parley-infra-shutdown"));
    printUrls(System.out, servers);
    new CountDownLatch(1).await();
  }

  static void printUrls(PrintStream out, EmbeddedServers servers) {
    out.println("# Parley infrastructure: embedded PostgreSQL and Redis only, no Parley service.");
    out.println("# Data in " + servers.dataDir() + "; stop with Ctrl-C. Give the services:");
    out.println(ConfigKey.PG_URL.env() + "=" + servers.postgresUrl());
    out.println(ConfigKey.REDIS_URL.env() + "=" + servers.redisUrl());
    out.println(READY_MARKER);
  }
}
