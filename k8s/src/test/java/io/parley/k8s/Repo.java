package io.parley.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are: the module directory (k8s/) and the repository around it. */
final class Repo {
  private Repo() {}

  /** The k8s/ directory; Surefire sets basedir, an IDE usually runs with it as working directory. */
  static Path k8s() {
    Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("overlays")) && Files.isDirectory(dir.resolve("k8s/overlays"))) {
      dir = dir.resolve("k8s");
    }
    return dir.normalize();
  }

  static Path root() {
    return k8s().getParent();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
