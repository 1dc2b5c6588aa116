package io.parley.shared.logging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A PARLEY_LOG_LEVEL value: one level for everything ({@code info}), or a comma-separated list of a
 * level and {@code package=level} entries ({@code info,io.parley.gateway=debug}). An entry without a
 * package sets the root level; a later entry for the same name wins. Refuses anything it cannot read,
 * naming the entry, so a typo stops the process at start instead of silently logging at DEBUG.
 */
public record LogLevels(String root, Map<String, String> packages) {
  private static final Set<String> LEVELS = Set.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");

  public LogLevels {
    packages = Map.copyOf(packages);
  }

  /** Parses a spec; {@code defaultRoot} when the spec names no root level. */
  public static LogLevels parse(String spec, String defaultRoot) {
    String root = level(defaultRoot);
    Map<String, String> packages = new LinkedHashMap<>();
    for (String entry : spec.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int equals = trimmed.indexOf('=');
      if (equals < 0) {
        root = level(trimmed);
        continue;
      }
      String name = trimmed.substring(0, equals).trim();
      if (name.isEmpty() || !name.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
        throw new IllegalArgumentException("'" + trimmed + "' does not name a package or class");
      }
      packages.put(name, level(trimmed.substring(equals + 1)));
    }
    return new LogLevels(root, packages);
  }

  private static String level(String text) {
    String level = text.trim().toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("'" + text.trim() + "' is not a log level (one of error, warn, info, debug, trace, off)");
    }
    return level;
  }
}
