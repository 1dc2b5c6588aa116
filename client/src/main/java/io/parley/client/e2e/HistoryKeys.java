package io.parley.client.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content keys of past messages that another device of this person shared when this device was
 * linked (docs/e2e.md §10), by event id: {@code history-keys} in the client home, one {@code event
 * key} line each, mode 600 like the chat key (they open those messages). Used only for events this
 * device's own wrap cannot open. Written on the chat's context and saved on a worker; the map is
 * concurrent so that a count may be read from any thread.
 */
final class HistoryKeys {
  static final String FILE = "history-keys";

  private final Path file;
  private final Map<UUID, byte[]> keys;

  private HistoryKeys(Path file, Map<UUID, byte[]> keys) {
    this.file = file;
    this.keys = keys;
  }

  /** Blocking. */
  static HistoryKeys load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    Map<UUID, byte[]> keys = new ConcurrentHashMap<>();
    if (Files.exists(file)) {
      keys.putAll(parse(Files.readString(file, StandardCharsets.US_ASCII)));
    }
    return new HistoryKeys(file, keys);
  }

  Optional<byte[]> keyOf(UUID event) {
    return Optional.ofNullable(keys.get(event));
  }

  int size() {
    return keys.size();
  }

  /** Adds {@code more}; returns a snapshot of everything to write. */
  Map<UUID, byte[]> add(Map<UUID, byte[]> more) {
    keys.putAll(more);
    return Map.copyOf(keys);
  }

  /** Blocking; atomic and mode 600. */
  void save(Map<UUID, byte[]> snapshot) throws IOException {
    ChatKey.writePrivate(file, format(snapshot).getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code event base64key} per line; the format of a link blob's entries too. */
  static String format(Map<UUID, byte[]> keys) {
    StringBuilder out = new StringBuilder(keys.size() * 82);
    keys.forEach((event, key) -> out.append(event).append(' ').append(Base64.getEncoder().encodeToString(key)).append('\n'));
    return out.toString();
  }

  /** Lines that are not {@code event key} with a 32-byte key are skipped. */
  static Map<UUID, byte[]> parse(String text) {
    Map<UUID, byte[]> out = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] parts = line.split(" ");
      if (parts.length != 2) {
        continue;
      }
      try {
        byte[] key = Base64.getDecoder().decode(parts[1]);
        if (key.length == Primitives.KEY_BYTES) {
          out.put(UUID.fromString(parts[0]), key);
        }
      } catch (IllegalArgumentException e) {
        // Not an entry.
      }
    }
    return out;
  }
}
