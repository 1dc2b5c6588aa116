package io.parley.standalone.cluster;

import io.parley.client.Accounts;
import io.parley.client.ClientOptions;
import io.parley.client.Messages;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.client.Rooms;
import io.parley.shared.crypto.Pem;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.RoomType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * What the cluster tests do as clients of the {@link LoopbackCluster}: connect to a gateway, sign up,
 * send until acknowledged, and count what the message log holds (straight from PostgreSQL).
 */
final class ClusterClients implements AutoCloseable {
  final LoopbackCluster cluster;
  final Vertx vertx = Vertx.vertx();
  private final Pool db;

  ClusterClients(LoopbackCluster cluster) {
    this.cluster = cluster;
    db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(cluster.base.get(ConfigKey.PG_URL))).using(vertx).build();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  ParleyConnection connect(int port, UUID device) throws Exception {
    return await(ParleyClient.connect(vertx, ClientOptions.tcp("127.0.0.1", port, device)
        .withPinnedFingerprint(cluster.fingerprint)
        .withRequestTimeoutMs(8000)));
  }

  static String chatKey() {
    return Pem.encodePublic(Pem.KeyType.X25519, new X25519PrivateKeyParameters(new SecureRandom()).generatePublicKey().getEncoded());
  }

  static String signUpAndLogIn(ParleyConnection connection, String user) throws Exception {
    Accounts accounts = new Accounts(connection);
    await(accounts.signup(user, user + "@example.org", user, LocalDate.of(1990, 1, 1), "cluster password 1",
        png -> Future.failedFuture("pow expected")));
    return await(accounts.login(user, "cluster password 1", false, chatKey()));
  }

  /** Sends until acknowledged, retrying with the same request id after an error or a timeout. */
  static Messages.Ack sendWithRetries(Messages messages, UUID room, String content, String requestId, List<String> retries)
      throws Exception {
    for (int attempt = 1; attempt <= 10; attempt++) {
      try {
        return await(messages.send(room, content, requestId));
      } catch (Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        boolean retryable = !(cause instanceof ParleyStatusException status)
            || status.code().filter(code -> code == StatusCode.UNAVAILABLE || code == StatusCode.INTERNAL_ERROR).isPresent();
        if (!retryable) {
          throw e;
        }
        retries.add(requestId + ": " + cause);
      }
    }
    throw new AssertionError("no acknowledgement for " + requestId + " after 10 attempts");
  }

  /**
   * A direct room with {@code other}, asked again after an UNAVAILABLE (a freshly started cluster can
   * be slower than the bus timeout on its first requests); safe, as asking for an existing pair
   * returns the same room.
   */
  static UUID directRoom(ParleyConnection connection, String other) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return await(new Rooms(connection).createRoom(RoomType.DIRECT, null, List.of(other)));
      } catch (Exception e) {
        boolean unavailable = e.getCause() instanceof ParleyStatusException status
            && status.code().filter(code -> code == StatusCode.UNAVAILABLE).isPresent();
        if (!unavailable || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** How many events of {@code room} carry {@code content}: exactly one for every acknowledged send. */
  long copies(UUID room, String content) throws Exception {
    return await(db.preparedQuery("SELECT count(*) FROM message.events WHERE room_id = $1 AND body->>'content' = $2")
        .execute(Tuple.of(room, content))).iterator().next().getLong(0);
  }

  /** The number of events of {@code room} per content, in one query: for streams of thousands of sends. */
  Map<String, Long> copiesByContent(UUID room) throws Exception {
    Map<String, Long> copies = new HashMap<>();
    await(db.preparedQuery("SELECT body->>'content', count(*) FROM message.events WHERE room_id = $1 GROUP BY 1")
        .execute(Tuple.of(room))).forEach(row -> copies.put(row.getString(0), row.getLong(1)));
    return copies;
  }

  @Override
  public void close() throws Exception {
    await(db.close());
    await(vertx.close());
  }
}
