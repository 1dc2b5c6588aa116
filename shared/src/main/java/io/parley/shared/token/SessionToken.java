package io.parley.shared.token;

import java.time.Instant;
import java.util.UUID;

/**
 * A freshly issued session token (GEN_TOKEN) and what it says. {@code token} is the secret the client
 * keeps; {@code tokenId} (the JWT's {@code jti}) is what the auth service stores to revoke it (LOGOUT)
 * and what logs may name. {@link #toString()} leaves the token out so it never reaches a log line.
 */
public record SessionToken(String token, String tokenId, String user, UUID device, Instant issuedAt, Instant expiresAt) {

  @Override
  public String toString() {
    return "SessionToken[tokenId=" + tokenId + ", user=" + user + ", device=" + device
        + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
  }
}
