package io.parley.shared.infra;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Run in a separate JVM by {@link EmbeddedServersTest}: starts durable servers on a directory, writes
 * one row and one key, prints {@code READY} and waits to be killed.
 */
public final class EmbeddedServersChild {
  public static void main(String[] args) throws Exception {
    EmbeddedServers servers = EmbeddedServers.start(Path.of(args[0]));
    try (Connection c = servers.adminConnection(EmbeddedServers.DATABASE); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE survivors (name text)");
      st.execute("INSERT INTO survivors VALUES ('before the kill')");
    }
    EmbeddedServersTest.redis(servers, "SET", "survivor", "before the kill");
    System.out.println("READY");
    System.out.flush();
    // Parked until the test kills this process; nothing here waits for time to pass.
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
