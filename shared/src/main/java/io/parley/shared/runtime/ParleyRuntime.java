package io.parley.shared.runtime;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.metrics.HistogramBuckets;
import io.parley.shared.metrics.ProcessMeters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Creates the Vert.x instance a Parley process runs on: the local event bus (standalone, tests) or a
 * clustered one through Hazelcast, joined over TCP/IP (local multi-process runs) or Kubernetes DNS
 * (a headless Service). Metrics always go to one Prometheus registry that /metrics serves. The
 * clustered bus runs mutual TLS ({@link ClusterBusTls}); Hazelcast's own membership traffic does not
 * (docs/security.md, "The clustered event bus").
 *
 * <p>A clustered runtime also runs a {@link ClusterWatch} (readiness's self-probe; a process split
 * from its cluster is told so), and every runtime hands Vert.x's uncaught exceptions to
 * {@link UnhandledExceptions}.
 */
public final class ParleyRuntime {
  private final Vertx vertx;
  private final PrometheusMeterRegistry metrics;
  private final ClusterWatch clusterWatch;

  private ParleyRuntime(Vertx vertx, PrometheusMeterRegistry metrics, ClusterWatch clusterWatch) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.clusterWatch = clusterWatch;
    vertx.exceptionHandler(new UnhandledExceptions());
  }

  /** The most a clustered process waits for Hazelcast's partition migration when it leaves. */
  public static final long GRACEFUL_LEAVE_SECONDS = 5;

  public static Future<ParleyRuntime> start(ParleyConfig config, boolean clustered) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Before any meter exists: a filter applies only to meters registered after it.
    metrics.config().meterFilter(new HistogramBuckets());
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(metrics));
    if (!clustered) {
      return Future.succeededFuture(withProcessMeters(builder.with(options).build(), metrics, null));
    }
    EventBusOptions bus = new EventBusOptions().setPort(config.getInt(ConfigKey.EVENTBUS_PORT));
    config.optional(ConfigKey.CLUSTER_HOST).ifPresent(host -> bus.setHost(host).setClusterPublicHost(host));
    try {
      options.setEventBusOptions(ClusterBusTls.apply(config, bus));
    } catch (IllegalStateException refused) {
      return Future.failedFuture(refused);
    }
    return builder
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcast(config)))
        .buildClustered()
        .compose(vertx -> ClusterWatch.start(vertx).map(watch -> withProcessMeters(vertx, metrics, watch)));
  }

  private static ParleyRuntime withProcessMeters(Vertx vertx, PrometheusMeterRegistry metrics, ClusterWatch watch) {
    ProcessMeters process = ProcessMeters.bindTo(metrics);
    ((VertxInternal) vertx).addCloseHook(closed -> {
      process.close();
      closed.succeed();
    });
    return new ParleyRuntime(vertx, metrics, watch);
  }

  /** True when PARLEY_CLUSTER asks for a cluster. */
  public static boolean clusterRequested(ParleyConfig config) {
    return Boolean.parseBoolean(config.get(ConfigKey.CLUSTER));
  }

  static Config hazelcast(ParleyConfig config) {
    Config hazelcast = new Config();
    hazelcast.setClusterName("parley");
    // A killed member is noticed in seconds, not Hazelcast's default minute: its bus registrations
    // go away and requests go to the survivors.
    hazelcast.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hazelcast.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(config.getInt(ConfigKey.CLUSTER_HEARTBEAT_TIMEOUT_SECONDS)));
    // A member that was split off (frozen, partitioned) learns it within seconds, not after the
    // default 300 s: its merge back is what tells ClusterWatch to replace the process.
    hazelcast.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(ClusterWatch.MERGE_CHECK_SECONDS));
    hazelcast.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(ClusterWatch.MERGE_CHECK_SECONDS));
    // Leaving waits for partition migration; with an unhealthy cluster that never ends (SIGTERM took
    // 30 s on every process, issue 13). Parley keeps no data in Hazelcast worth waiting for: the bus
    // registrations of a leaving member are dropped anyway.
    hazelcast.setProperty("hazelcast.graceful.shutdown.max.wait", Long.toString(GRACEFUL_LEAVE_SECONDS));
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.getNetworkConfig().setPort(config.getInt(ConfigKey.CLUSTER_PORT)).setPortAutoIncrement(false);
    config.optional(ConfigKey.CLUSTER_HOST).ifPresent(host -> {
      hazelcast.getNetworkConfig().setPublicAddress(host + ":" + config.getInt(ConfigKey.CLUSTER_PORT));
      hazelcast.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(host);
    });
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    if (config.optional(ConfigKey.CLUSTER_KUBERNETES_SERVICE).isPresent()) {
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", config.get(ConfigKey.CLUSTER_KUBERNETES_SERVICE));
    } else {
      join.getTcpIpConfig().setEnabled(true);
      config.optional(ConfigKey.CLUSTER_MEMBERS).ifPresent(members ->
          Arrays.stream(members.split(",")).map(String::trim).filter(m -> !m.isEmpty()).forEach(join.getTcpIpConfig()::addMember));
    }
    return hazelcast;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** The clustered process's watch over its membership; null for a local event bus. */
  ClusterWatch clusterWatch() {
    return clusterWatch;
  }

  /**
   * What to do when this clustered process learns it was split from its cluster (once, from any
   * thread); nothing happens for a local event bus. See {@link ClusterWatch} for why the answer is to
   * exit, and at once when the loss is a merge.
   */
  public void onClusterLost(Consumer<ClusterWatch.Loss> action) {
    if (clusterWatch != null) {
      clusterWatch.onLost(action);
    }
  }
}
