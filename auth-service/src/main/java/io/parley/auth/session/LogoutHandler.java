package io.parley.auth.session;

import io.parley.auth.store.TokenStore;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.token.Revocations;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * LOGOUT → STATUS LOGOUT_OK: revokes every live token of this user's device, in PostgreSQL first
 * (the source of truth) and then in the Redis cache the gateways consult, and ends the connection's
 * authentication.
 */
public final class LogoutHandler implements RequestHandler {
  private final TokenStore tokens;
  private final Revocations revocations;
  private final LoginContexts contexts;

  public LogoutHandler(TokenStore tokens, Revocations revocations, LoginContexts contexts) {
    this.tokens = tokens;
    this.revocations = revocations;
    this.contexts = contexts;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    return tokens
        .revokeDevice(request.user(), UUID.fromString(request.device()))
        .compose(revoked -> {
          List<Future<Void>> cached = new ArrayList<>();
          revoked.forEach(token -> cached.add(revocations.revoke(token.tokenId(), token.expiresAt())));
          cached.add(contexts.forget(request.connection()));
          return Future.all(cached);
        })
        .map(done -> BusReply.of(Envelope.status(StatusCode.LOGOUT_OK)).unauthenticate());
  }
}
