package io.parley.auth.session;

import io.parley.auth.store.TokenStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.bus.SessionsRevoked;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.Logout;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.UUID;

/**
 * LOGOUT → STATUS LOGOUT_OK: revokes every live token of this device (scope "device") or of the whole
 * account (scope "all") in PostgreSQL, the source of truth; then caches the revocations for the
 * gateways and tells every gateway to end the live sessions they rest on. LOGOUT_OK means the
 * revocation is durable: a Redis failure after that is repaired, not reported as a failed logout.
 */
public final class LogoutHandler implements RequestHandler {
  private final TokenStore tokens;
  private final RevocationCache cache;
  private final LoginContexts contexts;
  private final EventBus bus;

  public LogoutHandler(TokenStore tokens, RevocationCache cache, LoginContexts contexts, EventBus bus) {
    this.tokens = tokens;
    this.cache = cache;
    this.contexts = contexts;
    this.bus = bus;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    Logout logout = request.packet(Logout.class);
    boolean everywhere = logout.scope() == Logout.Scope.ALL;
    Future<List<TokenStore.Revoked>> revoked =
        everywhere ? tokens.revokeUser(request.user()) : tokens.revokeDevice(request.user(), UUID.fromString(request.device()));
    return revoked
        .compose(durable -> {
          bus.publish(Addresses.EVENTS_SESSIONS_REVOKED,
              new SessionsRevoked(request.user(), everywhere ? null : request.device(), request.connection()).toJson());
          return Future.join(cache.cache(durable), contexts.forget(request.connection()).recover(failed -> Future.succeededFuture()));
        })
        .map(done -> BusReply.of(Envelope.status(StatusCode.LOGOUT_OK)).unauthenticate());
  }
}
