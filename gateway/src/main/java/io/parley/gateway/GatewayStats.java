package io.parley.gateway;

import io.parley.gateway.limits.Refusals;

/**
 * A read-only view of one gateway process's protective state, for tests and operators' tools: what
 * the limits currently count. The same figures are on /metrics.
 */
public interface GatewayStats {
  /** Open connections (admitted, not yet closed). */
  int connections();

  /** Connections that have not reached CONN_OK. */
  int handshakes();

  /** Bytes held in unfinished frames across all connections. */
  long partialFrameBytes();

  /** Refusals and server-decided closes so far for {@code reason} (a {@code parley_refusals_total} tag). */
  double refusals(String reason);
}
