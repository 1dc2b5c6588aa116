package io.parley.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMetersTest {

  @Test
  void resident_memory_is_vmrss_in_bytes(@TempDir Path dir) throws Exception {
    Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nVmPeak:\t 4194304 kB\nVmRSS:\t  183292 kB\nThreads:\t64\n");
    assertThat(ProcessMeters.residentBytes(status)).isEqualTo(183292 * 1024.0);
  }

  @Test
  void an_unreadable_status_is_a_gap_not_a_zero(@TempDir Path dir) {
    assertThat(ProcessMeters.residentBytes(dir.resolve("absent"))).isNaN();
  }
}
