package io.parley.standalone;

import static io.parley.standalone.TestClients.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Accounts;
import io.parley.client.ClientOptions;
import io.parley.client.Messages;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyConnection;
import io.parley.client.Rooms;
import io.parley.gateway.Gateway;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery is routed by gateway node: two gateway nodes on one bus, a member connected to each, and
 * every event reaches the other node through presence in Redis and one bus message per node.
 */
class TwoGatewaysTest {
  static Standalone parley;
  static Gateway.Running second;

  @BeforeAll
  static void start() throws Exception {
    parley =
        Standalone.start(
            TestInfra.config(TwoGatewaysTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 8));
    second =
        await(Gateway.deploy(
            parley.vertx(),
            parley.config(),
            ServerIdentity.loadOrCreate(parley.config().getPath(ConfigKey.IDENTITY_KEY_FILE)),
            TokenKeys.load(parley.config().getPath(ConfigKey.TOKEN_KEY_FILE), false),
            "second-gateway"));
  }

  @AfterAll
  static void stop() throws Exception {
    parley.close();
  }

  static ParleyConnection connect(int port) throws Exception {
    return await(ParleyClient.connect(
        parley.vertx(), ClientOptions.tcp("127.0.0.1", port, UUID.randomUUID()).withPinnedFingerprint(parley.fingerprint())));
  }

  @Test
  void members_on_different_gateway_nodes_chat_live() throws Exception {
    TestClients clients = new TestClients(parley);
    String alice = clients.signedUpUser("left");
    String bob = clients.signedUpUser("right");
    ParleyConnection onFirst = connect(parley.tcpPort());
    ParleyConnection onSecond = connect(second.tcpPort());
    await(new Accounts(onFirst).login(alice, TestClients.PASSWORD, false, TestClients.chatKey()));
    await(new Accounts(onSecond).login(bob, TestClients.PASSWORD, false, TestClients.chatKey()));
    BlockingQueue<RoomEvent> atAlice = new LinkedBlockingQueue<>();
    BlockingQueue<RoomEvent> atBob = new LinkedBlockingQueue<>();
    Messages aliceMessages = new Messages(onFirst).onEvent(atAlice::add);
    Messages bobMessages = new Messages(onSecond).onEvent(atBob::add);

    UUID room = await(new Rooms(onFirst).createRoom(RoomType.DIRECT, null, List.of(bob)));
    assertThat(atBob.poll(10, TimeUnit.SECONDS).kind()).isEqualTo(RoomEventKind.ROOM_CREATED);
    Messages.Ack toBob = await(aliceMessages.send(room, "AAEC"));
    Messages.Ack toAlice = await(bobMessages.send(room, "AwQF"));

    assertThat(atBob.poll(10, TimeUnit.SECONDS).id()).isEqualTo(toBob.event());
    RoomEvent seenByAlice;
    do {
      seenByAlice = atAlice.poll(10, TimeUnit.SECONDS);
    } while (seenByAlice != null && seenByAlice.kind() != RoomEventKind.MESSAGE_SENT);
    assertThat(seenByAlice).isNotNull();
    assertThat(seenByAlice.id()).isEqualTo(toAlice.event());
    await(onFirst.close());
    await(onSecond.close());
  }
}
