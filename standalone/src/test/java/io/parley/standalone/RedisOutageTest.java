package io.parley.standalone;

import static io.parley.standalone.TestClients.await;
import static io.parley.standalone.TestClients.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Accounts;
import io.parley.client.Messages;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.infra.RedisKeys;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.testing.TestInfra;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Redis dies under a running standalone server and comes back empty on the same port (issue 13):
 * every acknowledged message still reaches the other member live — through the broadcast to every
 * gateway while presence cannot be read, through presence again once it can — and none is lost or
 * pushed twice. The server has a Redis of its own here (PostgreSQL is the shared test one), so the
 * test can stop and start it.
 */
class RedisOutageTest {
  private static final Logger log = LoggerFactory.getLogger(RedisOutageTest.class);

  /** Messages sent in each phase of the outage. */
  static final int PER_PHASE = 20;
  /** Bound on the wait for the message service to trust presence again (its grace is 35 s). */
  static final long PRESENCE_BACK_WITHIN_MS = 90_000;
  /** Between two polls of a condition that needs time (the grace) rather than an event. */
  static final long POLL_PAUSE_MS = 300;

  /** One client, plain HTTP/1.1 (no h2c upgrade attempt), for the scrapes of /metrics. */
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  static int redisPort;
  static RedisServer redisServer;
  static Standalone parley;
  static TestClients clients;
  static Redis probe;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      redisPort = socket.getLocalPort();
    }
    redisServer = startRedis();
    parley =
        Standalone.start(
            TestInfra.config(RedisOutageTest.class.getSimpleName())
                .with(ConfigKey.REDIS_URL, "redis://127.0.0.1:" + redisPort + "/0")
                .with(ConfigKey.BIND_HOST, "127.0.0.1")
                .with(ConfigKey.POW_DIFFICULTY_BITS, 8)
                .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000));
    clients = new TestClients(parley);
    probe = Redis.createClient(parley.vertx(), new RedisOptions().setConnectionString("redis://127.0.0.1:" + redisPort + "/0"));
  }

  @AfterAll
  static void stop() throws Exception {
    probe.close();
    parley.close();
    if (redisServer.isActive()) {
      redisServer.stop();
    }
  }

  /** Empty every time, like a Redis that lost its data (no AOF, no snapshot). */
  static RedisServer startRedis() throws Exception {
    RedisServer server =
        RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
    server.start();
    return server;
  }

  /** Pushes by path, from /metrics: presence (per node) or broadcast (every gateway). */
  record Deliveries(long presence, long broadcast) {}

  static Deliveries deliveries() throws Exception {
    String scrape = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.httpPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return new Deliveries(metric(scrape, "presence"), metric(scrape, "broadcast"));
  }

  static long metric(String scrape, String path) {
    Matcher line = Pattern.compile("(?m)^parley_deliveries_total\\{[^}]*path=\"" + path + "\"[^}]*\\} ([0-9.eE+]+)$").matcher(scrape);
    assertThat(line.find()).as("parley_deliveries_total{path=%s} in /metrics", path).isTrue();
    return (long) Double.parseDouble(line.group(1));
  }

  static double presenceLost() throws Exception {
    String scrape = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + parley.httpPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher line = Pattern.compile("(?m)^parley_presence_lost_total(\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(scrape);
    assertThat(line.find()).as("parley_presence_lost_total in /metrics").isTrue();
    return Double.parseDouble(line.group(2));
  }

  /** Sends one message and returns its acknowledged event id. */
  static UUID send(Member from, UUID room) throws Exception {
    return await(from.messages.send(room, MessagesTest.ciphertext())).event();
  }

  /** The next live MESSAGE_SENT pushed to {@code member} (membership events skipped). */
  static RoomEvent nextMessage(Member member) throws Exception {
    for (int i = 0; i < 10; i++) {
      RoomEvent event = member.nextEvent();
      if (event.kind() == RoomEventKind.MESSAGE_SENT) {
        return event;
      }
    }
    throw new AssertionError(member.user + " received no message push among 10 events");
  }

  static void pollUntil(String what, long withinMs, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("%s within %d ms", what, withinMs).isNegative();
      Thread.sleep(POLL_PAUSE_MS);
    }
  }

  static boolean markerWritten() {
    try {
      return await(RedisAPI.api(probe).keys(RedisKeys.presenceMarker("*"))).size() > 0;
    } catch (Exception redisNotYetBack) {
      return false;
    }
  }

  static boolean registered(Member member) {
    try {
      Response devices = await(RedisAPI.api(probe).hgetall(RedisKeys.presence(member.user)));
      return devices != null && devices.containsKey(member.device.toString());
    } catch (Exception redisNotYetBack) {
      return false;
    }
  }

  /**
   * Redis loses its data without any command failing (here FLUSHALL; in life a quick restart or a
   * failover to a replica that never had it): the gateway notices its marker is gone and registers
   * its sessions again at once, instead of leaving them unreachable by presence until the next
   * 30 s refresh.
   */
  @Test
  void a_redis_that_lost_its_data_without_an_error_gets_the_sessions_registered_again() throws Exception {
    Member carol = Member.signUp(clients, "carol");
    try {
      pollUntil("carol's presence registered", 30_000, () -> registered(carol));
      // The loss is only knowable once the gateway has written its marker (its first presence tick):
      // a flush before that is nothing lost, as the first refresh writes everything anyway.
      pollUntil("the gateway's presence marker written", 30_000, RedisOutageTest::markerWritten);
      double lostBefore = presenceLost();
      await(RedisAPI.api(probe).flushall(List.of()));
      pollUntil("the gateway to notice the loss", PRESENCE_BACK_WITHIN_MS, () -> {
        try {
          return presenceLost() > lostBefore;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      pollUntil("carol's presence registered again", 30_000, () -> registered(carol));
    } finally {
      carol.close();
    }
  }

  @Test
  void with_redis_down_every_acknowledged_message_is_still_pushed_and_presence_takes_over_again_once_it_is_back() throws Exception {
    Member alice = Member.signUp(clients, "alice");
    Member bob = Member.signUp(clients, "bob");
    Member bobAgain = null;
    try {
      UUID room = await(alice.rooms.createRoom(RoomType.GROUP, "outage", List.of(bob.user)));
      MessagesTest.drainRoomEvents(alice);
      MessagesTest.drainRoomEvents(bob);
      List<UUID> acked = new ArrayList<>();
      List<UUID> pushed = new ArrayList<>();
      Deliveries before = deliveries();

      // 1. Redis dies: sends are still acknowledged (PostgreSQL holds them) and still pushed.
      redisServer.stop();
      for (int i = 0; i < PER_PHASE; i++) {
        acked.add(send(alice, room));
        pushed.add(nextMessage(bob).id());
      }
      assertThat(pushed).as("pushed while Redis is down, in order").containsExactlyElementsOf(acked);

      // 2. While it is down, bob reconnects with his token: LOGIN_OK although presence cannot be
      // written, and the new connection is reachable.
      bobAgain = bob.reconnect(clients);
      bob.close();
      for (int i = 0; i < PER_PHASE; i++) {
        acked.add(send(alice, room));
        pushed.add(nextMessage(bobAgain).id());
      }
      Deliveries down = deliveries();
      assertThat(down.broadcast() - before.broadcast()).as("pushes that went to every gateway").isEqualTo(2L * PER_PHASE);
      assertThat(down.presence()).as("no push went through presence").isEqualTo(before.presence());

      // What needs Redis answers otherwise: a password login (throttle) is not answered LOGIN_OK.
      ParleyConnection stranger = clients.connect();
      Throwable login = awaitFailure(new Accounts(stranger).login(alice.user, TestClients.PASSWORD, false, TestClients.chatKey()));
      log.info("LOGIN while Redis is down answered {}", login instanceof ParleyStatusException status ? status.code() : login.toString());
      await(stranger.close());

      // 3. Redis comes back empty on the same port: the gateway re-registers bob within a tick or
      // two, and the message service goes back to presence after its grace. Every send meanwhile is
      // pushed exactly once, by one path or the other.
      redisServer = startRedis();
      Member receiver = bobAgain;
      pollUntil("bob's presence re-registered", 30_000, () -> registered(receiver));
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PRESENCE_BACK_WITHIN_MS);
      Deliveries back = deliveries();
      while (back.presence() == down.presence()) {
        assertThat(System.nanoTime() - deadline).as("a push through presence within %d ms", PRESENCE_BACK_WITHIN_MS).isNegative();
        acked.add(send(alice, room));
        pushed.add(nextMessage(bobAgain).id());
        Thread.sleep(POLL_PAUSE_MS);
        back = deliveries();
      }
      for (int i = 0; i < PER_PHASE; i++) {
        acked.add(send(alice, room));
        pushed.add(nextMessage(bobAgain).id());
      }
      Deliveries after = deliveries();
      assertThat(after.broadcast()).as("no broadcast once presence is trusted again").isEqualTo(back.broadcast());
      assertThat(after.presence() - back.presence()).isEqualTo(PER_PHASE);

      // Nothing acknowledged is lost or doubled: the log holds each once, each was pushed once.
      assertThat(pushed).as("every acknowledged message pushed once, in order").containsExactlyElementsOf(acked);
      Messages.Page page = await(bobAgain.messages.syncAfter(room, null, 500));
      assertThat(page.more()).isFalse();
      List<UUID> stored = page.events().stream().filter(e -> e.kind() == RoomEventKind.MESSAGE_SENT).map(RoomEvent::id).toList();
      assertThat(stored).containsExactlyElementsOf(acked);
      assertThat(new HashSet<>(acked)).hasSize(acked.size());
      Set<UUID> extra = new HashSet<>();
      for (RoomEvent left; (left = bobAgain.events.poll()) != null; ) {
        extra.add(left.id());
      }
      assertThat(extra).as("nothing pushed twice").isEmpty();
      assertThat(alice.events.stream().filter(e -> e.kind() == RoomEventKind.MESSAGE_SENT))
          .as("the sender's own device is skipped on both paths").isEmpty();
      log.info("{} messages acknowledged and pushed across the outage, {} by broadcast", acked.size(), after.broadcast() - before.broadcast());
    } finally {
      alice.close();
      if (bobAgain != null) {
        bobAgain.close();
      } else {
        bob.close();
      }
    }
  }
}
