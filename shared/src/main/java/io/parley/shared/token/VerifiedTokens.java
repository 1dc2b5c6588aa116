package io.parley.shared.token;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose signature and claims one process has already checked, by their exact text, so a
 * device that reconnects does not pay for the Ed25519 verify again.
 *
 * <p>Why: the signature check is about a third of the gateway's CPU for a resume (JFR of `bench
 * resume`, docs/benchmarks.md), and devices on flaky networks resume with the same token many times
 * a day. A hit is as good as the check it remembers: the key is the whole token (header, claims and
 * signature), the verdict came from this process's only token key (a new key means new
 * {@link TokenKeys}, and with them an empty cache), and the one check that changes with time, expiry,
 * is made again on every hit by {@link TokenVerifier}. Revocation is not cached here: it is looked
 * up for every AUTH_TOKEN, hit or miss.
 *
 * <p>Bounded by {@link #CAPACITY} entries (~600 bytes each). When full, expired entries go first; if
 * that frees nothing, everything goes: a burst of new tokens costs the next resumes one verify each,
 * never memory. Thread-safe (one per process, shared by the gateway's event loops).
 */
final class VerifiedTokens {
  /** ~5 MB at most: the devices that reconnect to one gateway within their tokens' lifetime. */
  static final int CAPACITY = 8_192;

  private final ConcurrentHashMap<String, VerifiedToken> byToken = new ConcurrentHashMap<>();
  private final int capacity;

  VerifiedTokens(int capacity) {
    this.capacity = capacity;
  }

  /** The claims this token was verified to carry, or null when it has not been seen (or was dropped). */
  VerifiedToken get(String token) {
    return byToken.get(token);
  }

  void put(String token, VerifiedToken verified, Instant now) {
    if (byToken.size() >= capacity) {
      byToken.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
      if (byToken.size() >= capacity) {
        byToken.clear();
      }
    }
    byToken.put(token, verified);
  }

  int size() {
    return byToken.size();
  }
}
