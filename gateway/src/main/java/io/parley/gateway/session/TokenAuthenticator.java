package io.parley.gateway.session;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.token.Revocations;
import io.parley.shared.token.TokenVerifier;
import io.parley.shared.token.VerifiedToken;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH_TOKEN, answered by the gateway itself: the signature and expiry are checked locally with the
 * token public key, the token id against the revocation cache in Redis, and the token must name the
 * user the packet claims and the device this connection announced in CONN_INIT. Every refusal gets the
 * same TOKEN_REFUSED, so a client learns nothing about which check failed; the log says which.
 *
 * <p>The cache answers only when it knows it is complete. When it is not (a restarted Redis, a
 * revocation that could not be cached) or Redis does not answer, the auth service answers from
 * PostgreSQL over the bus; only if that fails too is the token left unchecked (UNAVAILABLE, retry).
 */
public final class TokenAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);
  private static final String REFUSED = "log in again with LOGIN";

  private final TokenVerifier verifier;
  private final Revocations revocations;
  private final BusClient bus;

  public TokenAuthenticator(TokenVerifier verifier, Revocations revocations, BusClient bus) {
    this.verifier = verifier;
    this.revocations = revocations;
    this.bus = bus;
  }

  /** The verified token, or a failed future with StatusException TOKEN_REFUSED. */
  Future<VerifiedToken> authenticate(AuthToken packet, UUID connectionDevice) {
    return verifier
        .verify(packet.token())
        .recover(rejected -> refuse("token rejected: " + rejected.getMessage()))
        .compose(token -> {
          if (!token.user().equals(packet.user())) {
            return refuse("token names another user");
          }
          if (!token.device().equals(connectionDevice)) {
            return refuse("token belongs to another device");
          }
          return isRevoked(token.tokenId()).compose(revoked -> revoked ? refuse("token revoked") : Future.succeededFuture(token));
        });
  }

  private Future<Boolean> isRevoked(String tokenId) {
    return revocations
        .check(tokenId)
        .recover(redisDown -> Future.succeededFuture(Revocations.Verdict.UNKNOWN))
        .compose(verdict -> switch (verdict) {
          case REVOKED -> Future.succeededFuture(true);
          case LIVE -> Future.succeededFuture(false);
          case UNKNOWN -> bus.<JsonObject>request(Addresses.AUTH_TOKEN_REVOKED, new JsonObject().put("token", tokenId))
              .map(reply -> reply.getBoolean("revoked", true));
        });
  }

  private static <T> Future<T> refuse(String why) {
    log.debug("AUTH_TOKEN refused: {}", why);
    return Future.failedFuture(new StatusException(StatusCode.TOKEN_REFUSED, REFUSED));
  }
}
