package io.parley.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Connection counts of one gateway process, checked at accept, before a byte is read: in total and
 * per client address, and of connections that have not reached CONN_OK (handshakes). Shared by the
 * gateway's event loops, so thread-safe; a per-address entry exists only while that address has a
 * connection, so the map is bounded by the connection limit.
 *
 * <p>The process-wide handshake cap does not refuse: a newcomer is admitted and its event loop closes
 * an older unfinished handshake ({@link #handshakesOverCap}): among the oldest few, the one whose
 * address holds the most ({@link #handshakes(String)}). Refusing would let an attacker who holds every
 * slot lock everyone out; shedding the oldest alone was not enough either — measured with 10,000
 * hostile connections that reconnect as soon as they are shed, a slot lived ~140 ms and six in ten of
 * a bystander's handshakes were shed with the attackers'. Preferring "more than one" still shed a
 * bystander whose handshakes overlapped under load (4 in 10); preferring the address holding the
 * most spares anyone who is not hoarding.
 */
public final class ConnectionLimits {
  /** The limits, from configuration. */
  public record Settings(int maxConnections, int maxHandshakes, int maxPerAddress, int maxHandshakesPerAddress) {}

  /** What {@link #admit} decided: a ticket to keep, or the refusal to send. */
  public sealed interface Admission permits Ticket, Refused {}

  public record Refused(Refusal reason) implements Admission {}

  private final Settings settings;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger handshakes = new AtomicInteger();
  private final Map<String, Counts> byAddress = new ConcurrentHashMap<>();

  private static final class Counts {
    int connections;
    int handshakes;
  }

  public ConnectionLimits(Settings settings) {
    this.settings = settings;
  }

  Settings settings() {
    return settings;
  }

  /** Admits a new connection from {@code address} or says which limit refuses it. */
  public Admission admit(String address) {
    if (connections.incrementAndGet() > settings.maxConnections()) {
      connections.decrementAndGet();
      return new Refused(Refusal.GATEWAY_CONNECTIONS);
    }
    Refusal[] refusal = {null};
    byAddress.compute(address, (key, counts) -> {
      Counts c = counts == null ? new Counts() : counts;
      if (c.connections >= settings.maxPerAddress()) {
        refusal[0] = Refusal.ADDRESS_CONNECTIONS;
      } else if (c.handshakes >= settings.maxHandshakesPerAddress()) {
        refusal[0] = Refusal.ADDRESS_HANDSHAKES;
      } else {
        c.connections++;
        c.handshakes++;
      }
      return c.connections == 0 ? null : c;
    });
    if (refusal[0] != null) {
      connections.decrementAndGet();
      return new Refused(refusal[0]);
    }
    handshakes.incrementAndGet();
    return new Ticket(address);
  }

  /** True while more connections are handshaking than the process-wide cap allows. */
  public boolean handshakesOverCap() {
    return handshakes.get() > settings.maxHandshakes();
  }

  public int connections() {
    return connections.get();
  }

  public int handshakes() {
    return handshakes.get();
  }

  /** Unfinished handshakes currently counted for {@code address} (0 when none). */
  int handshakes(String address) {
    Counts c = byAddress.get(address);
    return c == null ? 0 : c.handshakes;
  }

  /**
   * How many of the oldest unfinished handshakes shedding compares: enough to find a hoarder among a
   * few one-at-a-time clients, bounded so shedding stays O(1) however many handshakes are open.
   */
  static final int SHED_SCAN = 16;

  /**
   * The unfinished handshake to shed: among the {@link #SHED_SCAN} oldest of {@code oldestFirst}, the
   * one whose address holds the most (the oldest of those on a tie). Null when there is none.
   */
  public <T> T sheddingVictim(Iterable<T> oldestFirst, Function<T, String> address) {
    T victim = null;
    int most = -1;
    int looked = 0;
    for (T candidate : oldestFirst) {
      int held = handshakes(address.apply(candidate));
      if (held > most) {
        victim = candidate;
        most = held;
      }
      if (++looked == SHED_SCAN) {
        break;
      }
    }
    return victim;
  }

  /** Connections currently counted for {@code address} (0 when none). */
  int connections(String address) {
    Counts c = byAddress.get(address);
    return c == null ? 0 : c.connections;
  }

  /** One admitted connection: tell it when the handshake is done and when the connection closes. */
  public final class Ticket implements Admission {
    private final String address;
    private boolean handshaking = true;
    private boolean released;

    private Ticket(String address) {
      this.address = address;
    }

    public String address() {
      return address;
    }

    /** The connection reached CONN_OK: it no longer holds a handshake slot. Idempotent. */
    public void handshakeDone() {
      if (handshaking && !released) {
        handshaking = false;
        handshakes.decrementAndGet();
        byAddress.computeIfPresent(address, (key, c) -> {
          c.handshakes--;
          return c;
        });
      }
    }

    /** The connection closed. Idempotent. */
    public void release() {
      if (released) {
        return;
      }
      released = true;
      boolean wasHandshaking = handshaking;
      handshaking = false;
      connections.decrementAndGet();
      if (wasHandshaking) {
        handshakes.decrementAndGet();
      }
      byAddress.computeIfPresent(address, (key, c) -> {
        c.connections--;
        if (wasHandshaking) {
          c.handshakes--;
        }
        return c.connections == 0 ? null : c;
      });
    }
  }
}
