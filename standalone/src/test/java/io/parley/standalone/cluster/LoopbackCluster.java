package io.parley.standalone.cluster;

import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.runtime.ClusterWatch;
import io.parley.shared.token.TokenKeys;
import io.parley.testing.TestInfra;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Clustered mode on loopback, one process per service: 2 gateways, 1 auth, 1 room and 2 message
 * services joined by Hazelcast, the event bus on mutual TLS with certificates from a CA made for
 * this run. Started once per test JVM (six JVMs are the slow part) and shared by the cluster tests,
 * which take it as a parameter: {@code @ExtendWith(LoopbackCluster.Resolver.class)}.
 *
 * <p>It supervises its processes as Kubernetes would: one that exits with
 * {@link ClusterWatch#EXIT_STATUS} (it learnt it had been split from the cluster, e.g. starved of CPU
 * past the heartbeat timeout on a busy machine) is started again with the same settings. One killed
 * on purpose stays dead. Each test class gets the cluster once every process that should run is ready.
 */
final class LoopbackCluster implements ExtensionContext.Store.CloseableResource {
  static final List<String> NAMES = List.of("auth", "room", "message-1", "message-2", "gateway-a", "gateway-b");
  private static final Map<String, String> MAINS = Map.of(
      "auth", "io.parley.auth.AuthMain",
      "room", "io.parley.room.RoomMain",
      "message-1", "io.parley.message.MessageMain",
      "message-2", "io.parley.message.MessageMain",
      "gateway-a", "io.parley.gateway.GatewayMain",
      "gateway-b", "io.parley.gateway.GatewayMain");

  /**
   * Longer than production's 6 s: this machine runs several builds at once on two cores, and a member
   * starved of CPU that long would be dropped, exit and be started again in the middle of a test.
   */
  static final int HEARTBEAT_TIMEOUT_SECONDS = 15;

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** The current process of each name (its latest start). */
  final Map<String, ServiceProcess> processes = new ConcurrentHashMap<>();
  private volatile boolean closing;
  /** Each process's /health and /metrics port. */
  final Map<String, Integer> httpPorts = new HashMap<>();
  final ParleyConfig base;
  final Path home;
  final String fingerprint;
  /** The deployment's CA: the only one the members trust. */
  final BusCertificates ca;
  /** Hazelcast members to join, host:port. */
  final String members;
  final int gatewayA;
  final int gatewayB;

  private LoopbackCluster() throws Exception {
    home = Files.createTempDirectory("parley-cluster");
    base = TestInfra.config(LoopbackCluster.class.getSimpleName());
    fingerprint = ServerIdentity.loadOrCreate(base.getPath(ConfigKey.IDENTITY_KEY_FILE)).fingerprint();
    TokenKeys.load(base.getPath(ConfigKey.TOKEN_KEY_FILE), true);
    ca = BusCertificates.newCa(home, "parley-bus-ca");
    Map<String, Integer> clusterPorts = new HashMap<>();
    for (String name : NAMES) {
      clusterPorts.put(name, freePort());
    }
    members = String.join(",", clusterPorts.values().stream().map(port -> "127.0.0.1:" + port).toList());
    gatewayA = freePort();
    gatewayB = freePort();
    try {
      startProcesses(clusterPorts);
    } catch (Exception | AssertionError e) {
      close();
      throw e;
    }
  }

  private void startProcesses(Map<String, Integer> clusterPorts) throws Exception {
    for (String name : NAMES) {
      supervise(name, memberSettings(name, clusterPorts.get(name)));
    }
    awaitRunning();
  }

  private void supervise(String name, Map<String, String> env) throws IOException {
    ServiceProcess process = ServiceProcess.start(name, MAINS.get(name), env, home);
    processes.put(name, process);
    process.exited().thenAccept(status -> {
      if (status != ClusterWatch.EXIT_STATUS || closing) {
        process.successor.complete(null);
        return;
      }
      System.out.println("loopback cluster: " + name + " exited with status " + status + " (split from the cluster); starting it again");
      try {
        supervise(name, env);
        process.successor.complete(processes.get(name));
      } catch (IOException e) {
        process.successor.completeExceptionally(e);
      }
    });
  }

  /**
   * Waits until every process that should run answers {@code /health/ready} with 200 (registered and
   * receiving), those started again included; not those killed on purpose.
   */
  void awaitRunning() throws Exception {
    for (String name : NAMES) {
      ServiceProcess process = processes.get(name);
      for (int start = 0; start < 10 && process != null; start++) {
        process.awaitReady(180);
        if (becameReady(name, process)) {
          break;
        }
        process = process.successor.get(180, TimeUnit.SECONDS);
      }
    }
  }

  /** Polls {@code process}'s readiness until 200 (true) or until it has ended (false). */
  private boolean becameReady(String name, ServiceProcess process) throws Exception {
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(name) + "/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    for (int poll = 0; poll < 600; poll++) {
      if (!process.isAlive()) {
        return false;
      }
      try {
        if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return true;
        }
      } catch (IOException notAnsweringYet) {
        // Polled again below.
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " did not become ready; log tail:\n" + process.tail());
  }

  /**
   * Starts one more process of this cluster, {@code mainClass} in its own JVM named {@code name},
   * configured like the others and not supervised; the caller awaits its readiness and ends it.
   */
  ServiceProcess startMember(String name, String mainClass, int clusterPort) throws Exception {
    return ServiceProcess.start(name, mainClass, memberSettings(name, clusterPort), home);
  }

  private Map<String, String> memberSettings(String name, int clusterPort) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (ConfigKey key : ConfigKey.values()) {
      env.put(key.env(), base.get(key));
    }
    env.putAll(memberEnv(clusterPort));
    env.putAll(ca.issue(name).env());
    int httpPort = freePort();
    httpPorts.put(name, httpPort);
    env.put(ConfigKey.HTTP_PORT.env(), Integer.toString(httpPort));
    env.put(ConfigKey.BIND_HOST.env(), "127.0.0.1");
    env.put(ConfigKey.NODE_ID.env(), name);
    env.put(ConfigKey.POW_DIFFICULTY_BITS.env(), "8");
    env.put(ConfigKey.BUS_TIMEOUT_MS.env(), "3000");
    env.put(ConfigKey.PASSWORD_THREADS.env(), "1");
    env.put(ConfigKey.TCP_PORT.env(), Integer.toString(name.equals("gateway-b") ? gatewayB : gatewayA));
    env.put(ConfigKey.WS_PORT.env(), Integer.toString(freePort()));
    return env;
  }

  /**
   * What one more member needs to join this cluster over TCP/IP on loopback: its own Hazelcast and
   * bus ports and the members list. Certificates (or their absence) are the caller's.
   */
  Map<String, String> memberEnv(int clusterPort) throws IOException {
    return Map.of(
        ConfigKey.CLUSTER.env(), "true",
        ConfigKey.CLUSTER_HOST.env(), "127.0.0.1",
        ConfigKey.CLUSTER_PORT.env(), Integer.toString(clusterPort),
        ConfigKey.CLUSTER_MEMBERS.env(), members,
        ConfigKey.EVENTBUS_PORT.env(), Integer.toString(freePort()),
        ConfigKey.CLUSTER_HEARTBEAT_TIMEOUT_SECONDS.env(), Integer.toString(HEARTBEAT_TIMEOUT_SECONDS));
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    closing = true;
    for (ServiceProcess process : processes.values()) {
      process.close();
    }
  }

  /** Hands the one cluster of this test run to a test's {@code @BeforeAll} or test method. */
  static final class Resolver implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LoopbackCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == LoopbackCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      LoopbackCluster cluster = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(LoopbackCluster.class, type -> {
        try {
          return new LoopbackCluster();
        } catch (Exception e) {
          throw new IllegalStateException("the loopback cluster did not start", e);
        }
      }, LoopbackCluster.class);
      try {
        cluster.awaitRunning();
      } catch (Exception e) {
        throw new IllegalStateException("the loopback cluster's processes are not all running", e);
      }
      return cluster;
    }
  }
}
