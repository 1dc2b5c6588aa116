package io.parley.auth.session;

import io.parley.auth.store.TokenStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.SessionsRevoked;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.UUID;

/**
 * Ends an account's sessions the way LOGOUT and REVOKE_DEVICE do, for requests made on the person's
 * behalf (parley-admin): the tokens are revoked in PostgreSQL first, then every gateway is told to end
 * the live sessions resting on them, then the revocations are cached for later AUTH_TOKENs.
 */
public final class SessionRevoker {
  private final TokenStore tokens;
  private final RevocationCache cache;
  private final EventBus bus;

  public SessionRevoker(TokenStore tokens, RevocationCache cache, EventBus bus) {
    this.tokens = tokens;
    this.cache = cache;
    this.bus = bus;
  }

  /** Every session of {@code device}, or of the whole account when it is null; completes with the tokens revoked. */
  public Future<Integer> revoke(String user, UUID device) {
    Future<List<TokenStore.Revoked>> revoked = device == null ? tokens.revokeUser(user) : tokens.revokeDevice(user, device);
    return revoked.compose(durable -> {
      bus.publish(Addresses.EVENTS_SESSIONS_REVOKED, new SessionsRevoked(user, device == null ? null : device.toString(), null).toJson());
      return cache.cache(durable).map(durable.size());
    });
  }
}
