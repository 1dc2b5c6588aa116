package io.parley.gateway;

import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.limits.SharedBudgets;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The gateway's limits and timeouts, read once from configuration. */
public record GatewaySettings(
    String bindHost,
    int tcpPort,
    int wsPort,
    int maxFrameBytes,
    int maxJsonDepth,
    long handshakeTimeoutMs,
    long idleTimeoutMs,
    long frameReadTimeoutMs,
    int writeQueueMaxBytes,
    long maxRecordsPerDirection,
    long busTimeoutMs,
    int packetRatePerSecond,
    int packetBurst,
    SharedBudgets.Rate accountRate,
    SharedBudgets.Rate addressRate,
    long partialFrameBudgetBytes,
    ConnectionLimits.Settings connectionLimits,
    int maxConnectionsPerAccount,
    int maxConnectionsPerDevice,
    boolean proxyProtocol) {

  /** File descriptors kept for everything but client sockets: database and Redis pools, jars, logs, the bus. */
  static final int RESERVED_FILE_DESCRIPTORS = 1024;

  static GatewaySettings from(ParleyConfig config) {
    return new GatewaySettings(
        config.get(ConfigKey.BIND_HOST),
        config.getInt(ConfigKey.TCP_PORT),
        config.getInt(ConfigKey.WS_PORT),
        config.getInt(ConfigKey.MAX_FRAME_BYTES),
        config.getInt(ConfigKey.MAX_JSON_DEPTH),
        config.getLong(ConfigKey.HANDSHAKE_TIMEOUT_MS),
        config.getLong(ConfigKey.IDLE_TIMEOUT_MS),
        config.getLong(ConfigKey.FRAME_READ_TIMEOUT_MS),
        config.getInt(ConfigKey.WRITE_QUEUE_MAX_BYTES),
        config.getLong(ConfigKey.MAX_RECORDS_PER_DIRECTION),
        config.getLong(ConfigKey.BUS_TIMEOUT_MS),
        config.getInt(ConfigKey.PACKET_RATE_PER_SECOND),
        config.getInt(ConfigKey.PACKET_BURST),
        new SharedBudgets.Rate(config.getInt(ConfigKey.ACCOUNT_PACKET_RATE_PER_SECOND), config.getInt(ConfigKey.ACCOUNT_PACKET_BURST)),
        new SharedBudgets.Rate(config.getInt(ConfigKey.ADDRESS_PACKET_RATE_PER_SECOND), config.getInt(ConfigKey.ADDRESS_PACKET_BURST)),
        config.optional(ConfigKey.PARTIAL_FRAME_BUDGET_BYTES).map(Long::parseLong).orElseGet(GatewaySettings::defaultPartialFrameBudget),
        new ConnectionLimits.Settings(
            config.optional(ConfigKey.MAX_CONNECTIONS).map(Integer::parseInt).orElseGet(GatewaySettings::defaultMaxConnections),
            config.getInt(ConfigKey.MAX_HANDSHAKES),
            config.getInt(ConfigKey.MAX_CONNECTIONS_PER_ADDRESS),
            config.getInt(ConfigKey.MAX_HANDSHAKES_PER_ADDRESS)),
        config.getInt(ConfigKey.MAX_CONNECTIONS_PER_ACCOUNT),
        config.getInt(ConfigKey.MAX_CONNECTIONS_PER_DEVICE),
        Boolean.parseBoolean(config.get(ConfigKey.PROXY_PROTOCOL)));
  }

  /**
   * An eighth of the heap: with the default 1 MiB frames that is room for many honest large messages
   * in flight at once, while a slow-frame attack can never take more than 12 % of the heap.
   */
  static long defaultPartialFrameBudget() {
    return Runtime.getRuntime().maxMemory() / 8;
  }

  /**
   * Below the process's open-file limit, so the gateway refuses a connection itself (and says so)
   * before accept() starts failing with EMFILE, which would refuse everyone, silently.
   */
  static int defaultMaxConnections() {
    long limit = openFileLimit();
    return (int) Math.max(64, Math.min(Integer.MAX_VALUE, limit - RESERVED_FILE_DESCRIPTORS));
  }

  /** The soft "Max open files" of this process, from /proc; 10,000 + the reserve when unknown. */
  static long openFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Integer.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or /proc not mounted: fall through to the fixed default.
    }
    return 10_000 + RESERVED_FILE_DESCRIPTORS;
  }

  /**
   * How often the sweeper looks for expired connections: a quarter of the shortest timeout, between
   * 20 ms and 1 s, so a timeout fires at most 25 % late while 10,000 idle connections cost one cheap
   * scan per second instead of one timer each.
   */
  long sweepIntervalMs() {
    long shortest = Math.min(Math.min(handshakeTimeoutMs, idleTimeoutMs), frameReadTimeoutMs);
    return Math.max(20, Math.min(1000, shortest / 4));
  }
}
