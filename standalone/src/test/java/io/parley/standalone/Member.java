package io.parley.standalone;

import static io.parley.standalone.TestClients.await;

import io.parley.client.Accounts;
import io.parley.client.Messages;
import io.parley.client.ParleyConnection;
import io.parley.client.Rooms;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.protocol.Envelope;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** One signed-in device of a test user: its connection, SDK facades, and the pushes it received. */
final class Member implements AutoCloseable {
  final String user;
  final UUID device;
  final String token;
  final ParleyConnection connection;
  final Rooms rooms;
  final Messages messages;
  final BlockingQueue<RoomEvent> events = new LinkedBlockingQueue<>();
  final BlockingQueue<Envelope> pushes = new LinkedBlockingQueue<>();

  private Member(String user, UUID device, String token, ParleyConnection connection) {
    this.user = user;
    this.device = device;
    this.token = token;
    this.connection = connection;
    this.rooms = new Rooms(connection);
    this.messages = new Messages(connection).onEvent(events::add);
    connection.onPush(pushes::add);
  }

  /** A new account, logged in on a new device. */
  static Member signUp(TestClients clients, String prefix) throws Exception {
    String user = clients.signedUpUser(prefix);
    UUID device = UUID.randomUUID();
    ParleyConnection connection = clients.connect(device);
    String token = await(new Accounts(connection).login(user, TestClients.PASSWORD, false, TestClients.chatKey()));
    return new Member(user, device, token, connection);
  }

  /** The same user and device on a new connection, resumed with the token (a reconnect). */
  Member reconnect(TestClients clients) throws Exception {
    ParleyConnection fresh = clients.connect(device);
    await(new Accounts(fresh).resume(user, token));
    return new Member(user, device, token, fresh);
  }

  /** Another device of the same user, logged in with the password. */
  Member secondDevice(TestClients clients) throws Exception {
    UUID other = UUID.randomUUID();
    ParleyConnection connection = clients.connect(other);
    String newToken = await(new Accounts(connection).login(user, TestClients.PASSWORD, false, TestClients.chatKey()));
    return new Member(user, other, newToken, connection);
  }

  /** The next live room event, waiting at most ten seconds. */
  RoomEvent nextEvent() throws InterruptedException {
    RoomEvent event = events.poll(10, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError(user + " received no room event within 10 s");
    }
    return event;
  }

  @Override
  public void close() throws Exception {
    await(connection.close());
  }
}
