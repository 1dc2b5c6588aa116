package io.parley.shared.config;

import java.util.UUID;

/** The bus name of this process: PARLEY_NODE_ID, or a fresh random one per start. */
public final class NodeIds {
  private NodeIds() {}

  public static String of(ParleyConfig config) {
    return config.optional(ConfigKey.NODE_ID).orElseGet(() -> "node-" + UUID.randomUUID().toString().substring(0, 8));
  }
}
