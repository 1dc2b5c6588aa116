package io.parley.shared.bus;

import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import java.util.Map;

/**
 * How long a request on each bus address may take, derived from the one configured wait
 * ({@link ConfigKey#BUS_TIMEOUT_MS}): the gateway waits that long for a client's request, so a request
 * a service makes while serving one must answer well inside it, or the client hears the gateway's
 * UNAVAILABLE instead of the service's own answer.
 *
 * <p>The shares: the room service makes up to two peer requests in a row for one client request (a
 * create or an add asks the auth service and then appends to the message service), so each gets a
 * quarter; the message service's membership fetch sits inside a CHAT_ACTION, whose repeatable first
 * attempt is itself a third of the wait, so it gets a quarter too (it used the bus default of 30 s);
 * DELETE_ACCOUNT checks a password and then asks two services, so each gets a third. Every other
 * address (a client's request, the gateway's revocation check) gets the whole wait.
 */
public final class BusTimeouts {
  private static final int PEER_SHARE = 4;
  private static final int ACCOUNT_DELETION_SHARE = 3;
  private static final Map<String, Integer> SHARES = Map.of(
      Addresses.AUTH_USERS_EXIST, PEER_SHARE,
      Addresses.AUTH_DEVICE_KEYS, PEER_SHARE,
      Addresses.MESSAGE_ROOM_STATS, PEER_SHARE,
      Addresses.MESSAGE_APPEND_ROOM_EVENT, PEER_SHARE,
      Addresses.ROOM_MEMBERS, PEER_SHARE,
      Addresses.ROOM_FORGET_MEMBER, ACCOUNT_DELETION_SHARE,
      Addresses.MESSAGE_FORGET_SENDER, ACCOUNT_DELETION_SHARE);

  private final long busTimeoutMs;

  public BusTimeouts(long busTimeoutMs) {
    if (busTimeoutMs < 1) {
      throw new IllegalArgumentException("the bus timeout must be at least 1 ms");
    }
    this.busTimeoutMs = busTimeoutMs;
  }

  public static BusTimeouts from(ParleyConfig config) {
    return new BusTimeouts(config.getLong(ConfigKey.BUS_TIMEOUT_MS));
  }

  /** The wait for one request on {@code address}, at least 1 ms. */
  public long of(String address) {
    return Math.max(1, busTimeoutMs / SHARES.getOrDefault(address, 1));
  }
}
