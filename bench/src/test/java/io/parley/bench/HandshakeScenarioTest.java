package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.config.ConfigKey;
import io.parley.standalone.Standalone;
import io.parley.testing.TestInfra;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the handshake scenario briefly against a real standalone server so the tool cannot rot. */
class HandshakeScenarioTest {

  @Test
  void the_handshake_scenario_completes_pinned_handshakes_and_reports_them() throws Exception {
    try (Standalone parley =
        Standalone.start(TestInfra.config(getClass().getSimpleName()).with(ConfigKey.BIND_HOST, "127.0.0.1"))) {
      HandshakeScenario.Settings settings =
          new HandshakeScenario.Settings("127.0.0.1", parley.tcpPort(), 4, Duration.ofSeconds(20), 40, parley.fingerprint());

      HandshakeScenario.Result result =
          new HandshakeScenario(parley.vertx(), settings).run().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

      assertThat(result.completed()).isEqualTo(40);
      assertThat(result.failed()).isZero();
      assertThat(result.p99Ms()).isPositive();
      assertThat(result.toJson().getString("scenario")).isEqualTo("handshake");
    }
  }
}
