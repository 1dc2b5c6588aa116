package io.parley.standalone.cluster;

import static io.parley.standalone.cluster.ClusterClients.await;
import static io.parley.standalone.cluster.ClusterClients.sendWithRetries;
import static io.parley.standalone.cluster.ClusterClients.signUpAndLogIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Messages;
import io.parley.client.ParleyConnection;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

  static ClusterClients clients;

  @BeforeAll
  static void openClients(LoopbackCluster shared) {
    clients = new ClusterClients(shared);
  }

  @AfterAll
  static void closeClients() throws Exception {
    if (clients != null) {
      clients.close();
    }
  }

  @Test
  void clients_on_two_gateways_chat_and_a_killed_message_service_loses_nothing() throws Exception {
    LoopbackCluster cluster = clients.cluster;
    ParleyConnection alice = clients.connect(cluster.gatewayA, UUID.randomUUID());
    ParleyConnection bob = clients.connect(cluster.gatewayB, UUID.randomUUID());
    signUpAndLogIn(alice, "alice_c");
    signUpAndLogIn(bob, "bob_c");
    BlockingQueue<RoomEvent> atBob = new LinkedBlockingQueue<>();
    BlockingQueue<RoomEvent> atAlice = new LinkedBlockingQueue<>();
    Messages aliceMessages = new Messages(alice).onEvent(atAlice::add);
    Messages bobMessages = new Messages(bob).onEvent(atBob::add);
    UUID room = ClusterClients.directRoom(alice, "bob_c");

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
      assertThat(clients.copies(room, entry.getKey())).as("copies of %s (retries: %s)", entry.getKey(), retries).isEqualTo(1);
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
