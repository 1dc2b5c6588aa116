package io.parley.shared.token;

import java.time.Instant;
import java.util.UUID;

/**
 * The claims of a session token whose signature, issuer and expiry checked out. The caller still
 * checks what only it knows: that {@code user} is the one AUTH_TOKEN names, that {@code device} is this
 * connection's CONN_INIT uuid, and that {@code tokenId} has not been revoked.
 */
public record VerifiedToken(String tokenId, String user, UUID device, Instant expiresAt) {}
