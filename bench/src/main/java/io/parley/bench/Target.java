package io.parley.bench;

import io.parley.client.ClientOptions;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.UUID;

/** The server under test: a loopback address, its TCP port and its pinned identity fingerprint. */
record Target(String host, int port, String fingerprint) {

  ClientOptions options(UUID device) {
    return ClientOptions.tcp(host, port, device)
        .withPinnedFingerprint(fingerprint)
        // Pinned, so nothing is learnt on first use; never touch the user's known_servers file.
        .withKnownServersFile(Path.of("/dev/null"));
  }

  /** Connects from the calling context (call it on the event loop that should own the socket). */
  Future<ParleyConnection> connect(Vertx vertx, UUID device) {
    return ParleyClient.connect(vertx, options(device));
  }
}
