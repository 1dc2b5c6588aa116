package io.parley.standalone.e2e;

import io.parley.client.CaptchaSolver;
import io.parley.client.e2e.ChatEvent;
import io.parley.client.e2e.ParleyChat;
import io.parley.shared.config.ConfigKey;
import io.parley.standalone.Standalone;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A standalone server and signed-up {@link ParleyChat} clients, each with its own state directory. */
final class ChatFixture implements AutoCloseable {
  static final String PASSWORD = "correct horse battery staple";
  private static final AtomicInteger NAMES = new AtomicInteger();

  final Standalone parley;
  final Vertx clientVertx = Vertx.vertx();
  final Path homes;

  ChatFixture(String label) throws Exception {
    parley = Standalone.start(
        TestInfra.config(label)
            .with(ConfigKey.BIND_HOST, "127.0.0.1")
            .with(ConfigKey.POW_DIFFICULTY_BITS, 8)
            .with(ConfigKey.SIGNUPS_PER_ADDRESS, 1000));
    homes = Files.createTempDirectory("parley-e2e-homes-");
  }

  static <T> T await(Future<T> future) throws Exception {
    return ParleyChat.await(future, 30_000);
  }

  static String newUsername(String prefix) {
    return prefix + "_" + NAMES.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 100000, 36);
  }

  ParleyChat.Options options(Path home) {
    return ParleyChat.Options.tcp("127.0.0.1", parley.tcpPort(), home).withPinnedFingerprint(parley.fingerprint());
  }

  /** One device of a user: the chat object and every event its listener received. */
  final class Client {
    final String user;
    final Path home;
    final ParleyChat chat;
    final BlockingQueue<ChatEvent> events = new LinkedBlockingQueue<>();

    Client(String user, Path home, ParleyChat.Options options) throws Exception {
      this.user = user;
      this.home = home;
      this.chat = ParleyChat.open(clientVertx, options).onEvent(events::add);
    }

    /**
     * The next event of a message kind (msg.*), skipping membership events; fails after 30 s, a bound
     * for "never came" rather than a speed: a catch-up after a restart took over 10 s once on a CI
     * machine at load average 30.
     */
    ChatEvent nextMessage() throws InterruptedException {
      while (true) {
        ChatEvent event = events.poll(30, TimeUnit.SECONDS);
        if (event == null) {
          throw new AssertionError(user + " received no message event within 30 s");
        }
        if (event.kind().wire().startsWith("msg.")) {
          return event;
        }
      }
    }

    /** The next {@code n} message events. */
    List<ChatEvent> nextMessages(int n) throws InterruptedException {
      List<ChatEvent> out = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(nextMessage());
      }
      return out;
    }

    /** Opens this device again from its state directory, as a restarted program would. */
    Client restart() throws Exception {
      return new Client(user, home, options(home));
    }
  }

  /** Signs a new user up and logs in on a new device with a fresh state directory. */
  Client signUp(String prefix) throws Exception {
    String user = newUsername(prefix);
    Path home = homes.resolve(user);
    Client client = new Client(user, home, options(home));
    await(client.chat.connect());
    await(client.chat.signup(user, user + "@example.org", "Test " + user, LocalDate.of(1990, 1, 1), PASSWORD, noImages()));
    await(client.chat.login(user, PASSWORD, true));
    return client;
  }

  static CaptchaSolver noImages() {
    return png -> Future.failedFuture(new AssertionError("this server should ask for proof of work, not an image"));
  }

  @Override
  public void close() throws Exception {
    clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    parley.close();
  }
}
