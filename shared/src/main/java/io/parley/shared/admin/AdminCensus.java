package io.parley.shared.admin;

import io.parley.shared.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.UUID;

/**
 * "How many people are connected, per gateway": no process knows every gateway, so the asking
 * process publishes a census and every process of the cluster answers, a gateway with its counts.
 * The asker knows how many members the cluster has, so it answers as soon as all have, and after
 * {@link #WAIT_MS} with those that did (saying how many did not) when one is stuck.
 */
public final class AdminCensus {
  static final long WAIT_MS = 3_000;

  private AdminCensus() {}

  /** Every process answers the census; the gateway part comes from a gateway in this process, if any. */
  public static Future<Void> answer(Vertx vertx) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.ADMIN_CENSUS, message -> {
      String replyTo = message.body().getString("reply_to");
      vertx.eventBus().<JsonObject>request(Addresses.GATEWAY_ADMIN_CONNECTIONS, new JsonObject(), new DeliveryOptions().setSendTimeout(WAIT_MS))
          .map(reply -> new JsonObject().put("gateway", reply.body()))
          .otherwise(noGateway -> new JsonObject())
          .onSuccess(answer -> vertx.eventBus().send(replyTo, answer));
    });
    return consumer.completion();
  }

  /** {"members", "answered", "gateways": [{"node", "connections", ...}]}. */
  public static Future<JsonObject> gather(Vertx vertx) {
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    int members = cluster == null ? 1 : cluster.getNodes().size();
    String replyTo = "parley.admin.census-reply." + UUID.randomUUID();
    JsonArray gateways = new JsonArray();
    int[] answered = {0};
    Promise<Void> done = Promise.promise();
    MessageConsumer<JsonObject> replies = vertx.eventBus().consumer(replyTo, message -> {
      answered[0]++;
      JsonObject gateway = message.body().getJsonObject("gateway");
      if (gateway != null) {
        gateways.add(gateway);
      }
      if (answered[0] >= members) {
        done.tryComplete();
      }
    });
    long timer = vertx.setTimer(WAIT_MS, fired -> done.tryComplete());
    replies.completion()
        .onSuccess(registered -> vertx.eventBus().publish(Addresses.ADMIN_CENSUS, new JsonObject().put("reply_to", replyTo)))
        .onFailure(done::tryFail);
    return done.future()
        .eventually(() -> {
          vertx.cancelTimer(timer);
          return replies.unregister();
        })
        .map(all -> new JsonObject().put("members", members).put("answered", answered[0]).put("gateways", gateways));
  }
}
