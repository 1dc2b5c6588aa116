package io.parley.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A device id is created once per installation and kept: the server binds tokens and chat keys to
 * it, so a new id looks like a new device.
 */
public final class DeviceIds {
  private DeviceIds() {}

  /** Reads the id stored in {@code file}, creating it with a fresh random UUID when absent. */
  public static UUID loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      try {
        return UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        throw new IOException("device id file " + file + " does not hold a UUID; delete it to register as a new device");
      }
    }
    UUID id = UUID.randomUUID();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, id + System.lineSeparator(), StandardCharsets.UTF_8);
    return id;
  }
}
