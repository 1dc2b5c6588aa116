package io.parley.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line flags with defaults; unknown flags are an error, not a surprise. */
final class Flags {
  private final Map<String, String> values = new HashMap<>();

  Flags(String[] args, int from, Map<String, String> defaults) {
    values.putAll(defaults);
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --flag value, got '" + arg + "'");
      }
      String name = arg.substring(2);
      if (!defaults.containsKey(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + "; known: " + defaults.keySet());
      }
      values.put(name, args[++i]);
    }
  }

  String get(String name) {
    return values.get(name);
  }

  int getInt(String name) {
    return Integer.parseInt(values.get(name));
  }

  long getLong(String name) {
    return Long.parseLong(values.get(name));
  }

  double getDouble(String name) {
    return Double.parseDouble(values.get(name));
  }

  /** A comma-separated list of whole numbers, e.g. {@code --users 1000,5000}. */
  java.util.List<Integer> getIntList(String name) {
    java.util.List<Integer> list = new java.util.ArrayList<>();
    for (String part : values.get(name).split(",")) {
      list.add(Integer.parseInt(part.trim()));
    }
    return list;
  }
}
