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

/**
 * Creates the Vert.x instance a Parley process runs on: the local event bus (standalone, tests) or a
 * clustered one through Hazelcast, joined over TCP/IP (local multi-process runs) or Kubernetes DNS
 * (a headless Service). Metrics always go to one Prometheus registry that /metrics serves. The
 * clustered bus runs mutual TLS ({@link ClusterBusTls}); Hazelcast's own membership traffic does not
 * (docs/security.md, "The clustered event bus").
 */
public final class ParleyRuntime {
  private final Vertx vertx;
  private final PrometheusMeterRegistry metrics;

  private ParleyRuntime(Vertx vertx, PrometheusMeterRegistry metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  public static Future<ParleyRuntime> start(ParleyConfig config, boolean clustered) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Before any meter exists: a filter applies only to meters registered after it.
    metrics.config().meterFilter(new HistogramBuckets());
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(metrics));
    if (!clustered) {
      return Future.succeededFuture(withProcessMeters(builder.with(options).build(), metrics));
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
        .map(vertx -> withProcessMeters(vertx, metrics));
  }

  private static ParleyRuntime withProcessMeters(Vertx vertx, PrometheusMeterRegistry metrics) {
    ProcessMeters process = ProcessMeters.bindTo(metrics);
    ((VertxInternal) vertx).addCloseHook(closed -> {
      process.close();
      closed.succeed();
    });
    return new ParleyRuntime(vertx, metrics);
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
    hazelcast.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
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

  /** False once a clustered process has lost its cluster (it is then not ready). */
  public boolean clusterHealthy() {
    VertxInternal internal = (VertxInternal) vertx;
    return internal.clusterManager() == null || internal.clusterManager().isActive();
  }
}
