package io.parley.shared.bus;

import static io.parley.testing.Futures.await;
import static io.parley.testing.Futures.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one waiting policy for service requests: UNAVAILABLE naming the service, attempts within a budget. */
class BusClientTest {
  static final long WAIT_MS = 300;

  Vertx vertx;
  BusClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = new BusClient(vertx, new BusTimeouts(WAIT_MS));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void a_service_that_never_answers_is_unavailable_by_name() {
    await(vertx.eventBus().consumer(Addresses.ROOM_CREATE, message -> {}).completion());

    Throwable failure = awaitFailure(client.request(Addresses.ROOM_CREATE, new JsonObject()));

    assertThat(failure).isInstanceOf(StatusException.class).hasMessageContaining("the room service did not answer");
    assertThat(((StatusException) failure).code()).isEqualTo(StatusCode.UNAVAILABLE);
  }

  @Test
  void a_service_with_no_instance_is_unavailable_by_name() {
    Throwable failure = awaitFailure(client.request(Addresses.AUTH_USERS_EXIST, new JsonObject()));

    assertThat(failure).isInstanceOf(StatusException.class).hasMessageContaining("the auth service did not answer");
  }

  @Test
  void a_service_s_own_failure_passes_through() {
    await(vertx.eventBus().consumer(Addresses.MESSAGE_ROOM_STATS, message -> message.fail(500, "correlation id x")).completion());

    Throwable failure = awaitFailure(client.request(Addresses.MESSAGE_ROOM_STATS, new JsonObject()));

    assertThat(failure).isInstanceOf(ReplyException.class).hasMessage("correlation id x");
  }

  @Test
  void a_repeatable_request_reaches_the_live_replica_when_the_other_is_frozen() {
    List<String> frozenSaw = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<String>consumer(Addresses.MESSAGE_SYNC, message -> frozenSaw.add(message.body())).completion());
    await(vertx.eventBus().<String>consumer(Addresses.MESSAGE_SYNC, message -> message.reply("live:" + message.body())).completion());

    for (int i = 0; i < 4; i++) {
      assertThat(await(client.<String>requestRepeatable(Addresses.MESSAGE_SYNC, "sync-" + i))).isEqualTo("live:sync-" + i);
    }
    assertThat(frozenSaw).as("the bus took turns: some attempts went to the frozen replica").isNotEmpty();
  }

  @Test
  void once_the_budget_is_spent_a_timed_out_attempt_is_not_repeated() {
    List<String> seen = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<String>consumer(Addresses.MESSAGE_SYNC, message -> seen.add(message.body())).completion());
    RetryBudget spent = new RetryBudget();
    for (int i = 0; i < RetryBudget.CAP && spent.trySpend(); i++) {
      // an overload has used up every saved retry
    }
    BusClient overloaded = new BusClient(vertx, new BusTimeouts(WAIT_MS), spent);

    Throwable failure = awaitFailure(overloaded.requestRepeatable(Addresses.MESSAGE_SYNC, "sync"));

    assertThat(failure).isInstanceOf(StatusException.class).hasMessageContaining("the message service did not answer");
    assertThat(seen).as("the half retry the request earned buys no second attempt").containsExactly("sync");
  }
}
