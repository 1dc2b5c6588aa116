package io.parley.client.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trust on first use for other devices' chat keys: the first key seen for a device (in a room's key
 * directory) is pinned, and a later directory that shows another key for that device does not replace
 * it — the change is reported, that device gets no wraps, and its messages are flagged, until the user
 * accepts the new key ({@link #accept}). This is what keeps a server that substitutes keys in
 * ROOM_INFO from reading later messages unnoticed.
 */
public final class KeyPins {
  /** A pinned key and the user it was listed for. */
  public record Pin(String user, byte[] key) {}

  /** What comparing a directory entry with the pins found. */
  public enum Verdict { NEW, SAME, CHANGED }

  private final Path file;
  private final Map<UUID, Pin> pins = new ConcurrentHashMap<>();

  private KeyPins(Path file) {
    this.file = file;
  }

  /** Blocking. */
  static KeyPins load(Path file) throws IOException {
    KeyPins pins = new KeyPins(file);
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 3) {
          try {
            pins.pins.put(UUID.fromString(parts[0]), new Pin(parts[1], Base64.getDecoder().decode(parts[2])));
          } catch (IllegalArgumentException ignored) {
            // An unreadable line loses one pin: that device is pinned again on next sight.
          }
        }
      }
    }
    return pins;
  }

  public Optional<Pin> get(UUID device) {
    return Optional.ofNullable(pins.get(device));
  }

  /** Compares and, for a device seen the first time, pins. Callers persist with {@link #save} afterwards. */
  Verdict check(UUID device, String user, byte[] key) {
    Pin known = pins.putIfAbsent(device, new Pin(user, key));
    if (known == null) {
      return Verdict.NEW;
    }
    return known.user().equals(user) && MessageDigest.isEqual(known.key(), key) ? Verdict.SAME : Verdict.CHANGED;
  }

  /** The user accepts a device's new key (verified out of band). */
  public void accept(UUID device, String user, byte[] key) {
    pins.put(device, new Pin(user, key));
  }

  /** Blocking. */
  void save() throws IOException {
    StringBuilder out = new StringBuilder();
    pins.forEach((device, pin) ->
        out.append(device).append(' ').append(pin.user()).append(' ').append(Base64.getEncoder().encodeToString(pin.key())).append('\n'));
    ChatKey.writePrivate(file, out.toString().getBytes(StandardCharsets.UTF_8));
  }
}
