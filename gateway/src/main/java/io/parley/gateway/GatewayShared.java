package io.parley.gateway;

import io.parley.gateway.limits.ClusterBudgets;
import io.parley.gateway.limits.ConnectionLimits;
import io.parley.gateway.limits.Refusal;
import io.parley.gateway.limits.Refusals;
import io.parley.gateway.limits.SharedBudgets;
import io.parley.gateway.session.GatewayMetrics;
import io.parley.gateway.session.NodeSessions;
import io.parley.gateway.transport.TcpListener;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What all gateway verticle instances of one process share: the settings, the connection counts, the
 * partial-frame total, the packet budgets of accounts and addresses, the refusal counters, the
 * authenticated sessions, the meters and the TCP listening socket. Everything in it is thread-safe.
 */
record GatewayShared(
    GatewaySettings settings,
    ConnectionLimits limits,
    AtomicLong partialFrameTotal,
    ClusterBudgets clusterBudgets,
    SharedBudgets budgets,
    Refusals refusals,
    NodeSessions nodeSessions,
    GatewayMetrics metrics,
    TcpListener tcpListener,
    LongSupplier clock) implements GatewayStats {

  static GatewayShared create(GatewaySettings settings, NodeSessions nodeSessions, GatewayMetrics metrics) {
    LongSupplier clock = System::currentTimeMillis;
    ClusterBudgets cluster =
        new ClusterBudgets(true, clock, key -> allowance(key.startsWith(SharedBudgets.USER_PREFIX) ? settings.accountRate() : settings.addressRate()));
    ConnectionLimits limits = new ConnectionLimits(settings.connectionLimits());
    AtomicLong partialFrameBytes = new AtomicLong();
    metrics.registry().gauge("parley_partial_frame_bytes", partialFrameBytes);
    metrics.registry().gauge("parley_handshakes_in_progress", limits, ConnectionLimits::handshakes);
    return new GatewayShared(
        settings,
        limits,
        partialFrameBytes,
        cluster,
        new SharedBudgets(settings.accountRate(), settings.addressRate(), clock, cluster),
        new Refusals(metrics.registry(), clock),
        nodeSessions,
        metrics,
        new TcpListener(),
        clock);
  }

  @Override
  public int connections() {
    return limits.connections();
  }

  @Override
  public int handshakes() {
    return limits.handshakes();
  }

  @Override
  public long partialFrameBytes() {
    return partialFrameTotal.get();
  }

  @Override
  public double refusals(String reason) {
    return refusals.count(Refusal.valueOf(reason.toUpperCase(java.util.Locale.ROOT)));
  }

  /** Packets a key may send in one second: a full burst plus a second of refill. */
  private static long allowance(SharedBudgets.Rate rate) {
    return (long) rate.burst() + rate.perSecond();
  }
}
