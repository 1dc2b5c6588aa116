package io.parley.testing;

import io.parley.shared.infra.Migrations;
import io.parley.shared.infra.Migrations.Migration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps a service's {@code db/<schema>/migrations.txt} honest: a migration file added to the source
 * tree but not to the index would silently never run. A service module's test calls
 * {@code MigrationIndex.assertComplete("auth")} (working directory = module directory, as under
 * surefire).
 */
public final class MigrationIndex {
  private MigrationIndex() {
  }

  /** Compares {@code src/main/resources/db/<schema>/V*.sql} with the index on the class path. */
  public static void assertComplete(String schema) {
    assertComplete(Path.of("src", "main", "resources", "db", schema), Migrations.fromClasspath(schema));
  }

  public static void assertComplete(Path directory, Migrations indexed) {
    List<String> onDisk;
    try (Stream<Path> files = Files.list(directory)) {
      onDisk = files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".sql"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> listed = indexed.migrations().stream().map(Migration::fileName).sorted().toList();
    if (!onDisk.equals(listed)) {
      throw new AssertionError("db/" + indexed.schema() + "/migrations.txt lists " + listed + " but "
          + directory + " holds " + onDisk + "; every migration file must be listed, in order");
    }
  }
}
