package io.parley.client.e2e;

import java.util.List;
import java.util.UUID;

/** A room member from the key directory, with each device's key and what the pins say about it. */
public record MemberKeys(String user, String role, List<Device> devices) {
  public record Device(UUID device, byte[] key, KeyPins.Verdict pin) {
    public String fingerprint() {
      return ChatKey.fingerprint(key);
    }
  }
}
