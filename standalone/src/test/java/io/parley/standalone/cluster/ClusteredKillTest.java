package io.parley.standalone.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Accounts;
import io.parley.client.ClientOptions;
import io.parley.client.Messages;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.client.Rooms;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.crypto.Pem;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clustered mode on loopback ({@link LoopbackCluster}: one process per service, the bus on mutual
 * TLS). Clients on both gateways chat across them; one message-service process is killed with
 * SIGKILL in the middle of a stream of sends. Every acknowledged message must be in the log exactly
 * once, retries with the same request id must not duplicate, and later sends must go to the survivor.
 */
@ExtendWith(LoopbackCluster.Resolver.class)
class ClusteredKillTest {
  static final int STREAM = 40;
  static final int KILL_AFTER = 12;

  static LoopbackCluster cluster;
  static Vertx vertx;
  static Pool db;

  @BeforeAll
  static void openDatabase(LoopbackCluster shared) {
    cluster = shared;
    vertx = Vertx.vertx();
    db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(cluster.base.get(ConfigKey.PG_URL))).using(vertx).build();
  }

  @AfterAll
  static void closeDatabase() throws Exception {
    if (db != null) {
      await(db.close());
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static ParleyConnection connect(int port, UUID device) throws Exception {
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

  @Test
  void clients_on_two_gateways_chat_and_a_killed_message_service_loses_nothing() throws Exception {
    ParleyConnection alice = connect(cluster.gatewayA, UUID.randomUUID());
    ParleyConnection bob = connect(cluster.gatewayB, UUID.randomUUID());
    signUpAndLogIn(alice, "alice_c");
    signUpAndLogIn(bob, "bob_c");
    BlockingQueue<RoomEvent> atBob = new LinkedBlockingQueue<>();
    BlockingQueue<RoomEvent> atAlice = new LinkedBlockingQueue<>();
    Messages aliceMessages = new Messages(alice).onEvent(atAlice::add);
    Messages bobMessages = new Messages(bob).onEvent(atBob::add);
    UUID room = await(new Rooms(alice).createRoom(RoomType.DIRECT, null, List.of("bob_c")));

    // Across gateways, both ways, live.
    Messages.Ack hello = await(aliceMessages.send(room, "aGVsbG8="));
    assertThat(nextMessage(atBob).id()).isEqualTo(hello.event());
    Messages.Ack reply = await(bobMessages.send(room, "aGk="));
    assertThat(nextMessage(atAlice).id()).isEqualTo(reply.event());

    // A stream of sends; one message-service replica dies in the middle of it.
    List<String> retries = new ArrayList<>();
    Map<String, Messages.Ack> acknowledged = new LinkedHashMap<>();
    for (int i = 0; i < STREAM; i++) {
      if (i == KILL_AFTER) {
        cluster.processes.get("message-1").kill();
      }
      String content = java.util.Base64.getEncoder().encodeToString(("stream-" + i + "-" + room).getBytes());
      acknowledged.put(content, sendWithRetries(aliceMessages, room, content, "stream-" + room + "-" + i, retries));
    }

    System.out.println("clustered kill test: " + retries.size() + " retried sends after the kill: " + retries);
    assertThat(cluster.processes.get("message-1").isAlive()).isFalse();
    for (Map.Entry<String, Messages.Ack> entry : acknowledged.entrySet()) {
      long rows = await(db.preparedQuery("SELECT count(*) FROM message.events WHERE room_id = $1 AND body->>'content' = $2")
          .execute(Tuple.of(room, entry.getKey()))).iterator().next().getLong(0);
      assertThat(rows).as("copies of %s (retries: %s)", entry.getKey(), retries).isEqualTo(1);
    }
    // Sequence numbers are gapless and the acknowledged ones are distinct.
    assertThat(acknowledged.values().stream().map(Messages.Ack::seq).distinct().count()).isEqualTo(STREAM);
    // New sends go to the surviving replica.
    for (int i = 0; i < 5; i++) {
      assertThat(await(aliceMessages.send(room, "YWZ0ZXI=")).seq()).isPositive();
    }
    // And bob can read the whole stream back, in order, once each.
    Messages.Page page = await(bobMessages.syncAfter(room, hello.event(), 100));
    List<UUID> streamIds = acknowledged.values().stream().map(Messages.Ack::event).toList();
    assertThat(page.events().stream().map(RoomEvent::id).filter(streamIds::contains).toList()).containsExactlyElementsOf(streamIds);
    await(alice.close());
    await(bob.close());
  }

  static RoomEvent nextMessage(BlockingQueue<RoomEvent> events) throws InterruptedException {
    RoomEvent event;
    do {
      event = events.poll(20, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("no message arrived within 20 s");
      }
    } while (event.kind() != RoomEventKind.MESSAGE_SENT);
    return event;
  }
}
