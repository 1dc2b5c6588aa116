package io.parley.shared.service;

import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.Dependencies;
import io.parley.shared.logging.LogSettings;
import io.parley.shared.runtime.ClusterWatch;
import io.parley.shared.runtime.OpsServer;
import io.parley.shared.runtime.ParleyRuntime;
import io.parley.shared.runtime.Readiness;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main method of a service's own jar: configuration from the environment, a local or clustered
 * Vert.x (PARLEY_CLUSTER), the service verticle, the health/metrics server, and a graceful stop on
 * SIGTERM (not ready at once, then undeploy: stop accepting, finish what is in flight, leave the
 * cluster), bounded by {@link #STOP_DEADLINE_MS} whatever state the cluster is in.
 *
 * <p>A process split from its cluster exits with {@link ClusterWatch#EXIT_STATUS} through the same
 * stop, so that its supervisor starts a fresh one ({@link ClusterWatch} says why that and not
 * re-registration).
 */
public final class ServiceLauncher {
  private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

  /** Printed on stdout once the process serves; supervisors and the multi-process test wait for it. */
  public static final String READY_MARKER = "PARLEY READY";

  /**
   * The longest a stop takes before the JVM halts: the drain (10 s) and the cluster leave (5 s) with
   * room to spare, well inside the pods' termination grace (30 s; 60 s for gateways).
   */
  public static final long STOP_DEADLINE_MS = 20_000;

  /** The status of a JVM halted past the deadline: as if SIGTERM had ended it, or the status it was exiting with. */
  private static final int SIGTERM_STATUS = 143;

  private ServiceLauncher() {}

  public static void run(String service, Function<ParleyConfig, Deployable> verticleFactory) {
    ParleyConfig config = configure(service);
    Deployable verticle = verticleFactory.apply(config);
    // A service cannot serve without its PostgreSQL schema; Redis only degrades it.
    launch(service, config, runtime -> runtime.vertx().deployVerticle(verticle).<Void>mapEmpty(), Set.of(Dependencies.POSTGRES));
  }

  /**
   * The configuration from the environment, with its logging settings applied: the first step of
   * every main, so that even the first line follows PARLEY_LOG_FORMAT. An unreadable setting ends the
   * process.
   */
  public static ParleyConfig configure(String service) {
    ParleyConfig config = ParleyConfig.fromEnvironment();
    try {
      LogSettings.apply(config);
    } catch (IllegalArgumentException refused) {
      log.error("{} service failed to start: {}", service, refused.getMessage());
      System.exit(1);
    }
    return config;
  }

  /**
   * Shared by every service main, the gateway's included; {@code required} names the dependencies
   * ({@link Dependencies}) without which the process is not ready.
   */
  public static void launch(
      String service, ParleyConfig config, Function<ParleyRuntime, Future<Void>> deploy, Set<String> required) {
    AtomicInteger exitStatus = new AtomicInteger(SIGTERM_STATUS);
    ParleyRuntime.start(config, ParleyRuntime.clusterRequested(config))
        .compose(runtime -> {
          Readiness readiness = Readiness.requiring(runtime, required);
          Runtime.getRuntime().addShutdownHook(
              new Thread(() -> stop(service, runtime, readiness, exitStatus.get()), service + "-shutdown"));
          runtime.onClusterLost(loss -> exitForReplacement(service, loss, exitStatus));
          return deploy.apply(runtime).compose(deployed -> OpsServer.start(runtime, config, readiness));
        })
        .onSuccess(httpPort -> {
          log.info("{} service started; health and metrics on port {}", service, httpPort);
          System.out.println(READY_MARKER + " " + service);
        })
        .onFailure(failure -> {
          log.error("{} service failed to start: {}", service, failure.getMessage(), failure);
          System.exit(1);
        });
  }

  /**
   * Ends a process that lost its cluster. About to be merged back: halts at once, on the merge thread,
   * so the member never rejoins (ClusterWatch says why). Otherwise exits through the bounded stop, from
   * a thread of its own: the caller may be a thread the stop waits for.
   */
  private static void exitForReplacement(String service, ClusterWatch.Loss loss, AtomicInteger exitStatus) {
    if (!exitStatus.compareAndSet(SIGTERM_STATUS, ClusterWatch.EXIT_STATUS)) {
      return;
    }
    log.error("{} service exits (status {}{}) so that its supervisor starts a fresh process in the cluster",
        service, ClusterWatch.EXIT_STATUS, loss.merging() ? ", at once, before rejoining" : "");
    if (loss.merging()) {
      Runtime.getRuntime().halt(ClusterWatch.EXIT_STATUS);
    }
    new Thread(() -> System.exit(ClusterWatch.EXIT_STATUS), service + "-exit").start();
  }

  private static void stop(String service, ParleyRuntime runtime, Readiness readiness, int status) {
    readiness.stopping();
    try {
      if (BoundedStop.within(runtime.vertx().close(), STOP_DEADLINE_MS)) {
        log.info("{} service stopped", service);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.warn("{} service did not stop within {} ms (an unhealthy cluster holds it); halting", service, STOP_DEADLINE_MS);
    Runtime.getRuntime().halt(status);
  }
}
