package io.parley.shared.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogLevelsTest {

  @Test
  void one_level_sets_the_root_only() {
    assertThat(LogLevels.parse("warn", "INFO")).isEqualTo(new LogLevels("WARN", Map.of()));
  }

  @Test
  void package_entries_come_with_or_without_a_root_level() {
    assertThat(LogLevels.parse("info, io.parley.gateway=debug ,io.netty=ERROR", "WARN"))
        .isEqualTo(new LogLevels("INFO", Map.of("io.parley.gateway", "DEBUG", "io.netty", "ERROR")));
    assertThat(LogLevels.parse("io.parley=trace", "INFO"))
        .isEqualTo(new LogLevels("INFO", Map.of("io.parley", "TRACE")));
  }

  @Test
  void an_empty_spec_keeps_the_default() {
    assertThat(LogLevels.parse(" ", "INFO")).isEqualTo(new LogLevels("INFO", Map.of()));
  }

  @Test
  void a_typo_is_refused_with_the_entry_it_could_not_read() {
    assertThatThrownBy(() -> LogLevels.parse("info,io.parley=verbose", "INFO"))
        .hasMessageContaining("'verbose' is not a log level");
    assertThatThrownBy(() -> LogLevels.parse("info,=debug", "INFO"))
        .hasMessageContaining("'=debug' does not name a package");
    assertThatThrownBy(() -> LogLevels.parse("io parley=debug", "INFO"))
        .hasMessageContaining("does not name a package");
  }
}
