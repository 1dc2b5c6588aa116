package io.parley.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package boundaries (docs/architecture.md), checked on the compiled production
 * classes of every module: this module's test classpath is the one that sees them all.
 */
class ArchitectureTest {
  /** The modules that run or use the services; each stands on shared/ alone. */
  static final List<String> MODULES = List.of("auth", "room", "message", "gateway", "client");

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.parley");
  }

  @Test
  void shareds_packages_have_no_cycles() {
    // (**): every package is its own slice, so protocol and protocol.packet may not lean on each other either.
    slices().matching("io.parley.shared.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void no_service_imports_another() {
    for (String module : MODULES) {
      String[] others = MODULES.stream().filter(other -> !other.equals(module)).map(other -> "io.parley." + other + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage("io.parley." + module + "..")
          .should().dependOnClassesThat().resideInAnyPackage(others)
          .because("services share only shared/: protocol shapes, addresses and codes live there")
          .check(classes);
    }
  }

  @Test
  void shared_imports_no_module_built_on_it() {
    noClasses().that().resideInAPackage("io.parley.shared..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.parley.auth..", "io.parley.room..", "io.parley.message..", "io.parley.gateway..", "io.parley.client..",
            "io.parley.standalone..", "io.parley.bench..")
        .check(classes);
  }
}
