package io.parley.shared.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parley's configuration: environment variables (12-factor) over the documented defaults of
 * {@link ConfigKey}. Immutable; {@link #with} returns a copy, which is how standalone mode hands the
 * URLs of its embedded servers to the services and how tests pick free ports.
 */
public final class ParleyConfig {
  private final Map<String, String> values;

  private ParleyConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static ParleyConfig fromEnvironment() {
    return of(System.getenv());
  }

  /** Reads only the variables named by {@link ConfigKey}; anything else in the map is ignored. */
  public static ParleyConfig of(Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    for (ConfigKey key : ConfigKey.values()) {
      String value = env.get(key.env());
      if (value != null) {
        values.put(key.env(), value.trim());
      }
    }
    return new ParleyConfig(values);
  }

  public static ParleyConfig defaults() {
    return of(Map.of());
  }

  public ParleyConfig with(ConfigKey key, Object value) {
    Map<String, String> copy = new HashMap<>(values);
    copy.put(key.env(), String.valueOf(value));
    return new ParleyConfig(copy);
  }

  public String get(ConfigKey key) {
    return values.getOrDefault(key.env(), key.defaultValue());
  }

  /** The value when set to something non-empty. */
  public Optional<String> optional(ConfigKey key) {
    String value = get(key);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  public int getInt(ConfigKey key) {
    String value = get(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key.env() + " must be an integer, got '" + value + "'");
    }
  }

  public long getLong(ConfigKey key) {
    String value = get(key);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key.env() + " must be an integer, got '" + value + "'");
    }
  }

  /** A path setting with a leading {@code ~} expanded to the user's home. */
  public Path getPath(ConfigKey key) {
    String value = get(key);
    if (value.equals("~") || value.startsWith("~/")) {
      value = System.getProperty("user.home") + value.substring(1);
    }
    return Path.of(value);
  }
}
