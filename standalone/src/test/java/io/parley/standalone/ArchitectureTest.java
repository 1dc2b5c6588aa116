package io.parley.standalone;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
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

  /** The services, each packaged by feature under its own root (docs/architecture.md, "The package map"). */
  static final List<String> SERVICES = List.of("auth", "room", "message", "gateway");

  /** The one root class features may use: the gateway's settings, which configure every part of it. */
  static final String GATEWAY_SETTINGS = "io.parley.gateway.GatewaySettings";

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

  @Test
  void a_services_feature_packages_have_no_cycles() {
    for (String service : SERVICES) {
      slices().matching("io.parley." + service + ".(*)..").should().beFreeOfCycles().check(classes);
    }
  }

  @Test
  void feature_packages_do_not_reach_back_into_their_services_wiring() {
    for (String service : SERVICES) {
      String root = "io.parley." + service;
      noClasses().that().resideInAPackage(root + ".*..")
          .should().dependOnClassesThat(resideInAPackage(root).and(not(name(GATEWAY_SETTINGS))))
          .because("the root package wires the features together (the verticle, main, settings); "
              + "a feature reaching back into it would close a cycle the slices rule cannot see")
          .check(classes);
    }
  }

  @Test
  void the_gateways_limits_and_dispatch_stand_on_nothing_else_of_the_gateway() {
    for (String leaf : List.of("limits", "dispatch")) {
      String own = "io.parley.gateway." + leaf + "..";
      noClasses().that().resideInAPackage(own)
          .should().dependOnClassesThat(resideInAPackage("io.parley.gateway..").and(resideOutsideOfPackage(own)))
          .check(classes);
    }
  }

  @Test
  void the_gateways_transport_frames_bytes_and_leaves_requests_to_the_session() {
    noClasses().that().resideInAPackage("io.parley.gateway.transport..")
        .should().dependOnClassesThat().resideInAPackage("io.parley.gateway.dispatch..")
        .because("a transport hands frames to its Session; only the session sends requests on")
        .check(classes);
    noClasses().that().resideInAPackage("io.parley.gateway.session..")
        .should().dependOnClassesThat().resideInAPackage("io.parley.gateway.transport..")
        .because("a session reaches its connection only through the Transport interface")
        .check(classes);
  }
}
