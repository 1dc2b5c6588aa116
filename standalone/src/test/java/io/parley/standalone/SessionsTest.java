package io.parley.standalone;

import static io.parley.standalone.TestClients.PASSWORD;
import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.awaitFailure;
import static io.parley.standalone.TestClients.chatKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Accounts;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.Login;
import io.parley.shared.protocol.packet.Logout;
import io.parley.shared.protocol.packet.RoomList;
import io.parley.testing.TestInfra;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions and identity through the real path: revocation reaches live sessions on LOGOUT (this
 * device or all), DEVICES and REVOKE_DEVICE, a device id belongs to one account, and revocation
 * survives a Redis that lost its data.
 */
class SessionsTest {
  static Standalone parley;
  static TestClients clients;
  static Pool db;
  static Redis redisClient;
  static RedisAPI redis;

  @BeforeAll
  static void start() throws Exception {
    parley =
        Standalone.start(
            TestInfra.config(SessionsTest.class.getSimpleName())
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 4)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000));
    clients = new TestClients(parley);
    db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(parley.config().get(ConfigKey.PG_URL))).using(parley.vertx()).build();
    redisClient = Redis.createClient(parley.vertx(), parley.config().get(ConfigKey.REDIS_URL));
    redis = RedisAPI.api(redisClient);
  }

  @AfterAll
  static void stop() throws Exception {
    await(db.close());
    redisClient.close();
    parley.close();
  }

  /** A logged-in connection of one device, with its token and every id-less STATUS it is pushed. */
  record Device(UUID id, ParleyConnection connection, Accounts accounts, String token, BlockingQueue<Envelope> pushed) {
    StatusCode nextPushedStatus() throws InterruptedException {
      Envelope status = pushed.poll(10, TimeUnit.SECONDS);
      assertThat(status).as("a STATUS pushed within 10 s").isNotNull();
      return status.statusCode().orElseThrow();
    }

    Envelope request(Envelope packet) throws Exception {
      return await(connection.request(packet));
    }
  }

  static Device login(String user, UUID device) throws Exception {
    ParleyConnection connection = clients.connect(device);
    BlockingQueue<Envelope> pushed = new LinkedBlockingQueue<>();
    connection.onPush(packet -> {
      if (packet.statusCode().isPresent()) {
        pushed.add(packet);
      }
    });
    Accounts accounts = new Accounts(connection);
    String token = await(accounts.login(user, PASSWORD, true, chatKey()));
    return new Device(device, connection, accounts, token, pushed);
  }

  static Device resume(String user, UUID device, String token) throws Exception {
    ParleyConnection connection = clients.connect(device);
    BlockingQueue<Envelope> pushed = new LinkedBlockingQueue<>();
    connection.onPush(packet -> pushed.add(packet));
    Accounts accounts = new Accounts(connection);
    await(accounts.resume(user, token));
    return new Device(device, connection, accounts, token, pushed);
  }

  static StatusCode statusOf(Throwable failure) {
    assertThat(failure).isInstanceOf(ParleyStatusException.class);
    return ((ParleyStatusException) failure).code().orElseThrow();
  }

  @Test
  void logout_ends_every_other_live_session_of_the_device_which_must_authenticate_again() throws Exception {
    String user = clients.signedUpUser("logout");
    Device first = login(user, UUID.randomUUID());
    Device second = resume(user, first.id(), first.token());
    assertThat(second.request(new RoomList().toEnvelope()).is(io.parley.shared.protocol.PacketType.ROOM_LIST)).isTrue();

    await(first.accounts().logout());

    assertThat(second.nextPushedStatus()).isEqualTo(StatusCode.LOGGED_OUT);
    assertThat(second.request(new RoomList().toEnvelope()).statusCode()).contains(StatusCode.NOT_AUTHENTICATED);
    assertThat(statusOf(awaitFailure(second.accounts().resume(user, first.token())))).isEqualTo(StatusCode.TOKEN_REFUSED);
    assertThat(first.pushed()).as("the connection that logged out is answered, not pushed").isEmpty();
  }

  @Test
  void logout_everywhere_ends_the_sessions_of_every_device_and_leaves_other_accounts_alone() throws Exception {
    String user = clients.signedUpUser("everywhere");
    String bystander = clients.signedUpUser("bystander");
    Device phone = login(user, UUID.randomUUID());
    Device laptop = login(user, UUID.randomUUID());
    Device other = login(bystander, UUID.randomUUID());

    await(phone.accounts().logout(Logout.Scope.ALL));

    assertThat(laptop.nextPushedStatus()).isEqualTo(StatusCode.LOGGED_OUT);
    assertThat(statusOf(awaitFailure(clients.connectAndResume(user, laptop.id(), laptop.token())))).isEqualTo(StatusCode.TOKEN_REFUSED);
    assertThat(other.request(new RoomList().toEnvelope()).is(io.parley.shared.protocol.PacketType.ROOM_LIST)).isTrue();
  }

  @Test
  void a_person_lists_their_devices_and_cuts_off_a_lost_one() throws Exception {
    String user = clients.signedUpUser("lostphone");
    Device laptop = login(user, UUID.randomUUID());
    Device phone = login(user, UUID.randomUUID());

    List<Accounts.Device> devices = await(laptop.accounts().devices());
    assertThat(devices).extracting(Accounts.Device::device).containsExactlyInAnyOrder(laptop.id(), phone.id());
    assertThat(devices).filteredOn(Accounts.Device::current).extracting(Accounts.Device::device).containsExactly(laptop.id());

    await(laptop.accounts().revokeDevice(phone.id()));

    assertThat(phone.nextPushedStatus()).isEqualTo(StatusCode.LOGGED_OUT);
    assertThat(statusOf(awaitFailure(clients.connectAndResume(user, phone.id(), phone.token())))).isEqualTo(StatusCode.TOKEN_REFUSED);
    assertThat(laptop.request(new RoomList().toEnvelope()).is(io.parley.shared.protocol.PacketType.ROOM_LIST)).isTrue();
    assertThat(statusOf(awaitFailure(laptop.accounts().revokeDevice(UUID.randomUUID())))).isEqualTo(StatusCode.DEVICE_NOT_FOUND);
  }

  @Test
  void another_account_cannot_log_in_on_a_device_id_that_belongs_to_someone_else() throws Exception {
    String victim = clients.signedUpUser("victim");
    String mallory = clients.signedUpUser("mallory");
    Device victimPhone = login(victim, UUID.randomUUID());

    ParleyConnection hijack = clients.connect(victimPhone.id());
    Envelope refused = await(hijack.request(new Login(mallory, PASSWORD, false).toEnvelope()));

    assertThat(refused.statusCode()).contains(StatusCode.DEVICE_TAKEN);
    assertThat(await(hijack.request(new RoomList().toEnvelope())).statusCode()).contains(StatusCode.NOT_AUTHENTICATED);
    long malloryRows = await(db.preparedQuery(
            "SELECT count(*) FROM auth.device_bindings b JOIN auth.users u ON u.id = b.user_id WHERE u.username = $1 AND b.device_id = $2")
        .execute(Tuple.of(mallory, victimPhone.id()))).iterator().next().getLong(0);
    assertThat(malloryRows).isZero();
    assertThat(victimPhone.request(new RoomList().toEnvelope()).is(io.parley.shared.protocol.PacketType.ROOM_LIST)).isTrue();
  }

  @Test
  void a_redis_that_lost_its_data_cannot_revive_a_revoked_token() throws Exception {
    String user = clients.signedUpUser("amnesia");
    Device revokedDevice = login(user, UUID.randomUUID());
    Device liveDevice = login(user, UUID.randomUUID());
    await(revokedDevice.accounts().logout());

    await(redis.flushdb(List.of()));

    assertThat(statusOf(awaitFailure(clients.connectAndResume(user, revokedDevice.id(), revokedDevice.token()))))
        .isEqualTo(StatusCode.TOKEN_REFUSED);
    await(clients.connectAndResume(user, liveDevice.id(), liveDevice.token()));
  }
}
