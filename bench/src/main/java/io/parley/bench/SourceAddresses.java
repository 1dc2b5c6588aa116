package io.parley.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback source addresses for hostile connections: 127.0.0.2, 127.0.0.3, ... (all of 127/8 is
 * loopback on Linux), one NetClient bound to each. The server limits connections per address, so an
 * attacker with many addresses is the case worth measuring; 127.0.0.1 stays for the bystander.
 *
 * <p>The clients are held for the whole run: Vert.x 5 closes a client, and every connection it opened,
 * once the client object is garbage collected.
 */
final class SourceAddresses {
  /** Most addresses handed out: 127.0.0.2 to 127.1.0.1, well inside 127/8. */
  static final int MAX = 1 << 16;

  private final List<NetClient> clients;

  SourceAddresses(Vertx vertx, int count, int connectTimeoutMs) {
    if (count < 1 || count > MAX) {
      throw new IllegalArgumentException("--source-addresses must be between 1 and " + MAX + ", got " + count);
    }
    List<NetClient> created = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      created.add(vertx.createNetClient(
          new NetClientOptions().setLocalAddress(address(i)).setTcpNoDelay(true).setConnectTimeout(connectTimeoutMs)));
    }
    this.clients = List.copyOf(created);
  }

  /** The {@code i}-th source address, from 0: 127.0.0.2, 127.0.0.3, ..., 127.0.1.0, ... */
  static String address(int i) {
    int n = i + 2;
    return "127." + (n >>> 16 & 0xff) + "." + (n >>> 8 & 0xff) + "." + (n & 0xff);
  }

  int size() {
    return clients.size();
  }

  /** The client for connection number {@code connection}: connections go round the addresses. */
  NetClient forConnection(long connection) {
    return clients.get((int) Math.floorMod(connection, (long) clients.size()));
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (NetClient client : clients) {
      closing.add(client.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
