package io.parley.shared.service;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.RoomList;
import io.parley.testing.TestInfra;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A service at PARLEY_SERVICE_MAX_IN_FLIGHT answers the next client request UNAVAILABLE at once. */
class ServiceAdmissionTest {
  private static final String ADDRESS = "parley.test.held";
  private static final int LIMIT = 2;

  private static Vertx vertx;
  private static final List<Promise<BusReply>> held = new CopyOnWriteArrayList<>();
  private static volatile Context serviceContext;

  /** Holds every request until the test answers it. */
  static final class HeldService extends ServiceVerticle {
    HeldService(ParleyConfig config) {
      super(config);
    }

    @Override
    protected String schema() {
      return "held";
    }

    @Override
    protected Map<String, RequestHandler> handlers(ServiceResources resources) {
      return Map.of(ADDRESS, request -> {
        serviceContext = Vertx.currentContext();
        Promise<BusReply> reply = Promise.promise();
        held.add(reply);
        return reply.future();
      });
    }
  }

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ParleyConfig config = TestInfra.config(ServiceAdmissionTest.class.getSimpleName())
        .with(ConfigKey.SERVICE_MAX_IN_FLIGHT, LIMIT);
    await(vertx.deployVerticle(new HeldService(config)));
  }

  @AfterAll
  static void stop() {
    held.forEach(reply -> serviceContext.runOnContext(v -> reply.tryComplete(BusReply.of(Envelope.status(StatusCode.MSG_OK)))));
    await(vertx.close());
  }

  @Test
  void a_request_over_the_limit_is_refused_at_once_and_admission_resumes_when_one_finishes() {
    Future<Envelope> first = send();
    Future<Envelope> second = send();
    Envelope refused = await(send());

    assertThat(refused.statusCode()).contains(StatusCode.UNAVAILABLE);
    assertThat(refused.data().getString("desc")).isEqualTo(Admission.BUSY_REASON);
    assertThat(held).hasSize(LIMIT);
    assertThat(first.isComplete()).isFalse();
    assertThat(second.isComplete()).isFalse();

    serviceContext.runOnContext(v -> held.get(0).complete(BusReply.of(Envelope.status(StatusCode.MSG_OK))));
    assertThat(await(first).statusCode()).contains(StatusCode.MSG_OK);
    Future<Envelope> admitted = send();
    awaitHeld(LIMIT + 1);
    assertThat(admitted.isComplete()).isFalse();
  }

  private static Future<Envelope> send() {
    BusRequest request = new BusRequest("ada", "device-1", "conn-1", "node-1", "127.0.0.1", null, new RoomList());
    return vertx.eventBus().<BusReply>request(ADDRESS, request).map(message -> message.body().packet());
  }

  /** Polls (bounded) until the service holds {@code count} requests. */
  private static void awaitHeld(int count) {
    for (int polls = 0; polls < 500 && held.size() < count; polls++) {
      await(Future.<Void>future(done -> vertx.setTimer(10, id -> done.complete())));
    }
    assertThat(held).hasSize(count);
  }
}
