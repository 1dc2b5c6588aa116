package io.parley.gateway;

import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.token.Revocations;
import io.parley.shared.token.TokenVerifier;
import io.vertx.core.Future;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH_TOKEN, answered by the gateway itself: the signature and expiry are checked locally with the
 * token public key, the token id against the revocation cache in Redis, and the token must name the
 * user the packet claims and the device this connection announced in CONN_INIT. Every refusal gets the
 * same TOKEN_REFUSED, so a client learns nothing about which check failed; the log says which.
 */
final class TokenAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);
  private static final String REFUSED = "log in again with LOGIN";

  private final TokenVerifier verifier;
  private final Revocations revocations;

  TokenAuthenticator(TokenVerifier verifier, Revocations revocations) {
    this.verifier = verifier;
    this.revocations = revocations;
  }

  /** The authenticated user, or a failed future with StatusException TOKEN_REFUSED. */
  Future<String> authenticate(AuthToken packet, UUID connectionDevice) {
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
          return revocations
              .isRevoked(token.tokenId())
              .compose(revoked -> revoked ? refuse("token revoked") : Future.succeededFuture(token.user()));
        });
  }

  private static <T> Future<T> refuse(String why) {
    log.debug("AUTH_TOKEN refused: {}", why);
    return Future.failedFuture(new StatusException(StatusCode.TOKEN_REFUSED, REFUSED));
  }
}
