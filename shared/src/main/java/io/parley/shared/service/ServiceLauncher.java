package io.parley.shared.service;

import io.parley.shared.config.ParleyConfig;
import io.parley.shared.logging.LogSettings;
import io.parley.shared.runtime.OpsServer;
import io.parley.shared.runtime.ParleyRuntime;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main method of a service's own jar: configuration from the environment, a local or clustered
 * Vert.x (PARLEY_CLUSTER), the service verticle, the health/metrics server, and a graceful stop on
 * SIGTERM (undeploy: stop accepting, finish what is in flight, leave the cluster).
 */
public final class ServiceLauncher {
  private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

  /** Printed on stdout once the process serves; supervisors and the multi-process test wait for it. */
  public static final String READY_MARKER = "PARLEY READY";

  private ServiceLauncher() {}

  public static void run(String service, Function<ParleyConfig, Deployable> verticleFactory) {
    ParleyConfig config = configure(service);
    Deployable verticle = verticleFactory.apply(config);
    Supplier<Future<Void>> readiness =
        verticle instanceof ServiceVerticle serviceVerticle ? serviceVerticle::ready : Future::succeededFuture;
    launch(service, config, runtime -> runtime.vertx().deployVerticle(verticle).<Void>mapEmpty(), readiness);
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

  /** Shared by every service main, the gateway's included. */
  public static void launch(
      String service, ParleyConfig config, Function<ParleyRuntime, Future<Void>> deploy, Supplier<Future<Void>> readiness) {
    ParleyRuntime.start(config, ParleyRuntime.clusterRequested(config))
        .compose(runtime -> {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(service, runtime), service + "-shutdown"));
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

  private static void stop(String service, ParleyRuntime runtime) {
    try {
      runtime.vertx().close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
      log.info("{} service stopped", service);
    } catch (Exception e) {
      log.warn("{} service did not stop cleanly: {}", service, e.toString());
    }
  }
}
