package io.parley.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The overlays under k8s/overlays, each rendered once per test run. */
final class Overlays {
  private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

  private Overlays() {}

  static List<String> names() {
    try (Stream<Path> dirs = Files.list(Repo.k8s().resolve("overlays"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Rendered get(String name) {
    return RENDERED.computeIfAbsent(name, Rendered::overlay);
  }
}
