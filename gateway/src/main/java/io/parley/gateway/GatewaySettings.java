package io.parley.gateway;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;

/** The gateway's limits and timeouts, read once from configuration. */
record GatewaySettings(
    String bindHost,
    int tcpPort,
    int wsPort,
    int maxFrameBytes,
    int maxJsonDepth,
    long handshakeTimeoutMs,
    long idleTimeoutMs,
    int writeQueueMaxBytes,
    long maxRecordsPerDirection,
    long busTimeoutMs,
    int packetRatePerSecond,
    int packetBurst) {

  static GatewaySettings from(ParleyConfig config) {
    return new GatewaySettings(
        config.get(ConfigKey.BIND_HOST),
        config.getInt(ConfigKey.TCP_PORT),
        config.getInt(ConfigKey.WS_PORT),
        config.getInt(ConfigKey.MAX_FRAME_BYTES),
        config.getInt(ConfigKey.MAX_JSON_DEPTH),
        config.getLong(ConfigKey.HANDSHAKE_TIMEOUT_MS),
        config.getLong(ConfigKey.IDLE_TIMEOUT_MS),
        config.getInt(ConfigKey.WRITE_QUEUE_MAX_BYTES),
        config.getLong(ConfigKey.MAX_RECORDS_PER_DIRECTION),
        config.getLong(ConfigKey.BUS_TIMEOUT_MS),
        config.getInt(ConfigKey.PACKET_RATE_PER_SECOND),
        config.getInt(ConfigKey.PACKET_BURST));
  }

  /**
   * How often the sweeper looks for expired connections: a quarter of the shortest timeout, between
   * 20 ms and 1 s, so a timeout fires at most 25 % late while 10,000 idle connections cost one cheap
   * scan per second instead of one timer each.
   */
  long sweepIntervalMs() {
    long shortest = Math.min(handshakeTimeoutMs, idleTimeoutMs);
    return Math.max(20, Math.min(1000, shortest / 4));
  }
}
