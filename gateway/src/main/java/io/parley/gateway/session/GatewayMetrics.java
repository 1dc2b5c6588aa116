package io.parley.gateway.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.gateway.limits.Refusal;
import io.parley.shared.metrics.Meters;
import io.parley.shared.protocol.PacketType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own meters, next to Vert.x's (docs/operations.md lists them): open connections by transport,
 * connections closed by reason, handshakes by outcome, requests by packet type, and bus round-trip
 * time per owning service. They
 * land in the registry /metrics serves; without one (unit tests) in a throwaway registry.
 */
public final class GatewayMetrics {
  /** Open connections by transport kind ({@link Transport#kind()}: tcp, ws). */
  private final Map<String, AtomicInteger> connections = Map.of("tcp", new AtomicInteger(), "ws", new AtomicInteger());
  private final Counter handshakesOk;
  private final Counter handshakesFailed;
  private final Map<PacketType, Counter> packets = new EnumMap<>(PacketType.class);
  private final Map<PacketType, Timer> busTimes = new EnumMap<>(PacketType.class);
  private final Map<Refusal, Counter> closedByServer = new EnumMap<>(Refusal.class);
  private final Counter closedByClient;
  private final Counter presenceLost;
  private final MeterRegistry registry;

  public GatewayMetrics() {
    MeterRegistry registry = Meters.registry();
    this.registry = registry;
    connections.forEach((transport, open) ->
        Gauge.builder("parley_connections", open, AtomicInteger::get).tag("transport", transport).register(registry));
    for (Refusal reason : Refusal.values()) {
      closedByServer.put(reason, Counter.builder("parley_connections_closed").tag("reason", reason.tag()).register(registry));
    }
    closedByClient = Counter.builder("parley_connections_closed").tag("reason", "client").register(registry);
    presenceLost = Counter.builder("parley_presence_lost").description("times Redis was found to have lost this gateway's presence entries, which were then written again").register(registry);
    handshakesOk = Counter.builder("parley_handshakes").tag("result", "ok").register(registry);
    handshakesFailed = Counter.builder("parley_handshakes").tag("result", "failed").register(registry);
    for (PacketType type : PacketType.values()) {
      if (type.isClientRequest()) {
        packets.put(type, Counter.builder("parley_requests").tag("type", type.wireName()).register(registry));
        busTimes.put(type, Timer.builder("parley_bus_request").tag("type", type.wireName()).register(registry));
      }
    }
  }

  void connectionOpened(String transport) {
    connections.get(transport).incrementAndGet();
  }

  /** {@code reason}: why the server closed it, or null when the client (or the network) did. */
  void connectionClosed(String transport, Refusal reason) {
    connections.get(transport).decrementAndGet();
    (reason == null ? closedByClient : closedByServer.get(reason)).increment();
  }

  /** A connection refused at accept: it never opened, but it was closed by the server for a reason. */
  public void connectionRefused(Refusal reason) {
    closedByServer.get(reason).increment();
  }

  /** The registry these meters live in, for the gateway's other meters. */
  public MeterRegistry registry() {
    return registry;
  }

  void handshake(boolean ok) {
    (ok ? handshakesOk : handshakesFailed).increment();
  }

  void request(PacketType type) {
    packets.get(type).increment();
  }

  public Counter presenceLost() {
    return presenceLost;
  }

  Timer busTimer(PacketType type) {
    return busTimes.get(type);
  }
}
