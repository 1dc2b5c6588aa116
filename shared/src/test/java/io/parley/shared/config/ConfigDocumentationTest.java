package io.parley.shared.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the user's only map of the settings: keep it complete. */
class ConfigDocumentationTest {

  @Test
  void the_readme_documents_every_setting_with_its_default() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (ConfigKey key : ConfigKey.values()) {
      String expectedDefault = key.defaultValue().isEmpty() ? "(empty)" : "`" + key.defaultValue() + "`";
      assertThat(readme).as(key.env() + " (run docs/tools/readme-config-table.py)").contains("| `" + key.env() + "` | " + expectedDefault + " |");
    }
  }

  @Test
  void environment_values_override_defaults_and_unknown_variables_are_ignored() {
    ParleyConfig config = ParleyConfig.of(Map.of("PARLEY_TCP_PORT", " 9000 ", "PATH", "/bin"));

    assertThat(config.getInt(ConfigKey.TCP_PORT)).isEqualTo(9000);
    assertThat(config.getInt(ConfigKey.WS_PORT)).isEqualTo(7401);
    assertThat(config.optional(ConfigKey.PG_URL)).isEmpty();
  }

  @Test
  void a_malformed_number_names_the_variable() {
    ParleyConfig config = ParleyConfig.of(Map.of("PARLEY_TCP_PORT", "seventy"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.getInt(ConfigKey.TCP_PORT))
        .hasMessageContaining("PARLEY_TCP_PORT");
  }

  @Test
  void a_home_relative_path_is_expanded() {
    Path path = ParleyConfig.defaults().getPath(ConfigKey.DATA_DIR);

    assertThat(path).isEqualTo(Path.of(System.getProperty("user.home"), ".parley", "data"));
  }
}
