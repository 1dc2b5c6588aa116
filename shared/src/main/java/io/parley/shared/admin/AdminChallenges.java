package io.parley.shared.admin;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One-time challenges for admin requests, kept by the process that issued them: each is good for
 * one request within {@link #LIFETIME_MS}. Anyone who reaches the port may ask for one, so at most
 * {@link #MAX_OUTSTANDING} are kept (the oldest is dropped first): asking cannot grow memory, only
 * make an admin ask again.
 */
public final class AdminChallenges {
  /** Long enough for a person's tool to sign and send on a slow link; short enough to be useless later. */
  public static final long LIFETIME_MS = 30_000;
  static final int MAX_OUTSTANDING = 256;

  private final SecureRandom random = new SecureRandom();
  private final LongSupplier clockMs;
  private final Map<String, Long> issuedAtMs = new LinkedHashMap<>();

  public AdminChallenges(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  public synchronized String issue() {
    dropExpired();
    if (issuedAtMs.size() >= MAX_OUTSTANDING) {
      Iterator<String> oldest = issuedAtMs.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    issuedAtMs.put(challenge, clockMs.getAsLong());
    return challenge;
  }

  /** True once for a challenge this process issued less than {@link #LIFETIME_MS} ago; it is spent either way. */
  public synchronized boolean spend(String challenge) {
    dropExpired();
    return challenge != null && issuedAtMs.remove(challenge) != null;
  }

  private void dropExpired() {
    long oldestValid = clockMs.getAsLong() - LIFETIME_MS;
    issuedAtMs.values().removeIf(issued -> issued < oldestValid);
  }
}
