package io.parley.gateway;

import io.parley.shared.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * This gateway process's connection counts for parley-admin's `connections`, on a local address:
 * the process's admin census ({@link io.parley.shared.admin.AdminCensus}) asks it and adds the answer
 * to its own, so no count crosses the cluster unasked.
 */
final class AdminConnections {
  private AdminConnections() {}

  static Future<Void> listen(Vertx vertx, String node, GatewayShared shared) {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.GATEWAY_ADMIN_CONNECTIONS, message -> message.reply(new JsonObject()
            .put("node", node)
            .put("connections", shared.connections())
            .put("handshakes", shared.handshakes())
            .put("authenticated", shared.nodeSessions().size())
            .put("accounts", shared.nodeSessions().accounts())))
        .completion();
  }
}
