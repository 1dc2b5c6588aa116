package io.parley.shared.service;

import io.parley.shared.config.ParleyConfig;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The main method of a service's own jar: configuration from the environment, deploy, log. */
public final class ServiceLauncher {
  private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

  private ServiceLauncher() {}

  public static void run(String service, Function<ParleyConfig, Deployable> verticle) {
    ParleyConfig config = ParleyConfig.fromEnvironment();
    Vertx vertx = Vertx.vertx();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close(), service + "-shutdown"));
    vertx
        .deployVerticle(verticle.apply(config))
        .onSuccess(id -> log.info("{} service started", service))
        .onFailure(
            failure -> {
              log.error("{} service failed to start: {}", service, failure.getMessage(), failure);
              System.exit(1);
            });
  }
}
