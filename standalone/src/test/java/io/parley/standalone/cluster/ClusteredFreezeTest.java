package io.parley.standalone.cluster;

import static io.parley.standalone.cluster.ClusterClients.await;
import static io.parley.standalone.cluster.ClusterClients.sendWithRetries;
import static io.parley.standalone.cluster.ClusterClients.signUpAndLogIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.Messages;
import io.parley.client.ParleyConnection;
import io.parley.shared.runtime.ClusterWatch;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: a message-service replica frozen with SIGSTOP (a long GC pause, CPU throttling) under a
 * stream of sends. Sends keep being acknowledged through the other replicas (the gateway retries a
 * send with the same request id; exactly-once on the server makes that safe). The freeze lasts until
 * the cluster has dropped the frozen member — the case that used to leave a zombie, ready and
 * receiving nothing — and until {@value #ACKED_WHILE_OUT} more sends were acknowledged without it.
 * After SIGCONT the resumed replica either serves again (its deliveries counter moves) or has exited
 * for its supervisor to replace it. Every acknowledged message is in the log exactly once.
 *
 * <p>While the frozen member is still in the member list (the cluster unhealthy: partitions it owns
 * cannot migrate), another replica gets SIGTERM; its stop must end by the bounded path (issue 13:
 * SIGTERM took 30 s on every process then).
 *
 * <p>Both replicas are processes started here, so the shared cluster keeps its own.
 */
@ExtendWith(LoopbackCluster.Resolver.class)
class ClusteredFreezeTest {
  static final String FROZEN = "message-3";
  static final String TERMINATED = "message-4";
  static final int ACKED_WHILE_OUT = 10;
  /** Bounds on the send loops; each send is acknowledged or fails the test long before. */
  static final int MAX_SENDS_FROZEN = 10_000;
  static final int MAX_SENDS_RESUMED = 10_000;

  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static ClusterClients clients;
  static ServiceProcess frozen;
  static ServiceProcess terminated;

  @BeforeAll
  static void startTwoMoreReplicas(LoopbackCluster shared) throws Exception {
    clients = new ClusterClients(shared);
    frozen = shared.startMember(FROZEN, "io.parley.message.MessageMain", LoopbackCluster.freePort());
    terminated = shared.startMember(TERMINATED, "io.parley.message.MessageMain", LoopbackCluster.freePort());
    frozen.awaitReady(180);
    terminated.awaitReady(180);
  }

  @AfterAll
  static void stop() throws Exception {
    if (frozen != null) {
      if (frozen.isAlive()) {
        frozen.resume();
      }
      frozen.close();
    }
    if (terminated != null) {
      terminated.close();
    }
    if (clients != null) {
      clients.close();
    }
  }

  @Test
  void a_frozen_replica_costs_no_send_and_once_resumed_serves_again_or_has_exited() throws Exception {
    LoopbackCluster cluster = clients.cluster;
    ParleyConnection alice = clients.connect(cluster.gatewayA, UUID.randomUUID());
    ParleyConnection bob = clients.connect(cluster.gatewayB, UUID.randomUUID());
    signUpAndLogIn(alice, "alice_f");
    signUpAndLogIn(bob, "bob_f");
    Messages aliceMessages = new Messages(alice);
    new Messages(bob).onEvent(event -> {});
    UUID room = ClusterClients.directRoom(alice, "bob_f");
    List<String> retries = new ArrayList<>();
    Map<String, Messages.Ack> acknowledged = new LinkedHashMap<>();
    int membersBefore = members("gateway-a");

    frozen.freeze();
    long frozenAt = System.nanoTime();
    terminated.terminate();
    int ackedWhileOut = 0;
    int sent = 0;
    while (ackedWhileOut < ACKED_WHILE_OUT) {
      assertThat(sent).as("sends while %s is frozen", FROZEN).isLessThan(MAX_SENDS_FROZEN);
      // Out once the cluster has dropped both: the frozen one, and the one stopping on SIGTERM.
      boolean out = members("gateway-a") <= membersBefore - 2;
      send(aliceMessages, room, sent++, acknowledged, retries);
      if (out) {
        ackedWhileOut++;
      }
    }
    long frozenMs = Duration.ofNanos(System.nanoTime() - frozenAt).toMillis();
    int sentWhileFrozen = sent;
    int retriesWhileFrozen = retries.size();

    // Resumed, it first answers what was queued to it before the freeze was noticed; "serves again"
    // counts only deliveries after it is back in the whole cluster.
    frozen.resume();
    long resumedAt = System.nanoTime();
    double deliveriesWhenBack = -1;
    boolean servedAgain = false;
    while (frozen.isAlive() && !servedAgain) {
      assertThat(sent).as("sends after %s resumed", FROZEN).isLessThan(MAX_SENDS_FROZEN + MAX_SENDS_RESUMED);
      send(aliceMessages, room, sent++, acknowledged, retries);
      if (deliveriesWhenBack < 0) {
        deliveriesWhenBack = backInTheCluster(membersBefore - 1) ? deliveries(FROZEN) : -1;
      } else {
        servedAgain = deliveries(FROZEN) > deliveriesWhenBack;
      }
    }
    long settledMs = Duration.ofNanos(System.nanoTime() - resumedAt).toMillis();
    OptionalInt exit = frozen.awaitExit(0);
    OptionalInt terminatedExit = terminated.awaitExit(120);
    assertThat(terminatedExit).as("%s after SIGTERM; its log:\n%s", TERMINATED, terminated.tail()).isPresent();

    System.out.printf("clustered freeze test: frozen %d ms over %d sends, %d client retries; after SIGCONT %s after %d ms"
            + " and %d more sends, %d client retries; retries: %s%n",
        frozenMs, sentWhileFrozen, retriesWhileFrozen, servedAgain ? "it served again" : "it exited with status " + exit,
        settledMs, sent - sentWhileFrozen, retries.size() - retriesWhileFrozen, retries);
    System.out.printf("clustered freeze test: %s, given SIGTERM as the freeze began, exited with %s: %s%n", TERMINATED, terminatedExit,
        terminated.printed("halting") ? "halted at the stop deadline" : "stopped gracefully");
    assertThat(terminated.printed("message service stopped") || terminated.printed("halting"))
        .as("%s stopped by the bounded path; its log:\n%s", TERMINATED, terminated.tail()).isTrue();
    if (!servedAgain) {
      assertThat(exit).as("exit status of the resumed replica; its log:\n%s", frozen.tail()).hasValue(ClusterWatch.EXIT_STATUS);
      assertThat(frozen.printed("lost cluster membership")).as("the resumed replica says why it exits").isTrue();
    }
    Map<String, Long> copies = clients.copiesByContent(room);
    for (String content : acknowledged.keySet()) {
      assertThat(copies.get(content)).as("copies of %s (retries: %s)", content, retries).isEqualTo(1);
    }
    assertThat(acknowledged.values().stream().map(Messages.Ack::seq).distinct().count()).isEqualTo(acknowledged.size());
    await(alice.close());
    await(bob.close());
  }

  static void send(Messages messages, UUID room, int i, Map<String, Messages.Ack> acknowledged, List<String> retries) throws Exception {
    String content = Base64.getEncoder().encodeToString(("freeze-" + i + "-" + room).getBytes(StandardCharsets.UTF_8));
    acknowledged.put(content, sendWithRetries(messages, room, content, "freeze-" + room + "-" + i, retries));
  }

  /** The resumed replica is ready and sees every member again (false while it cannot answer). */
  static boolean backInTheCluster(int members) {
    try {
      JsonObject readiness = new JsonObject(get(FROZEN, "/health/ready"));
      return readiness.getBoolean("ready") && readiness.getJsonObject("cluster").getInteger("members") >= members;
    } catch (Exception exitedOrBusy) {
      return false;
    }
  }

  /** How many cluster members {@code process} sees, from its readiness body. */
  static int members(String process) throws Exception {
    return new JsonObject(get(process, "/health/ready")).getJsonObject("cluster").getInteger("members");
  }

  /** The sum of {@code parley_deliveries}: moves with every send the message service fans out; -1 once it has exited. */
  static double deliveries(String process) throws Exception {
    String metrics;
    try {
      metrics = get(process, "/metrics");
    } catch (java.io.IOException exited) {
      return -1;
    }
    return metrics.lines()
        .filter(line -> line.startsWith("parley_deliveries_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  static String get(String process, String path) throws Exception {
    int port = clients.cluster.httpPorts.get(process);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
