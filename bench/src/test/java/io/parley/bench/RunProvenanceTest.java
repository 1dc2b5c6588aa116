package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunProvenanceTest {
  @Test
  void the_jvm_flags_are_the_options_before_the_jar() {
    byte[] cmdline = "java\0-Xmx1g\0-XX:+UseG1GC\0-jar\0/tmp/pb/parley-standalone.jar\0--verbose\0".getBytes(StandardCharsets.UTF_8);

    assertThat(RunProvenance.jvmFlags(cmdline)).containsExactly("-Xmx1g", "-XX:+UseG1GC");
  }

  @Test
  void a_class_path_is_kept_with_its_value_and_the_main_class_ends_the_flags() {
    byte[] cmdline = "/usr/bin/java\0-cp\0a.jar:b.jar\0-Dx=y\0io.parley.Main\0-Dnot=flag\0".getBytes(StandardCharsets.UTF_8);

    assertThat(RunProvenance.jvmFlags(cmdline)).containsExactly("-cp", "a.jar:b.jar", "-Dx=y");
  }
}
