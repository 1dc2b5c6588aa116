package io.parley.shared.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/protocol.md is the normative text; it must name every status and packet the code has. */
class ProtocolDocumentationTest {

  @Test
  void every_status_code_has_a_row_in_the_status_table() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
    for (StatusCode code : StatusCode.values()) {
      assertThat(doc).as(code.name()).contains("| `" + code.name() + "` |");
    }
  }

  @Test
  void every_client_request_has_a_section() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
    for (PacketType type : PacketType.values()) {
      if (type.isClientRequest()) {
        assertThat(doc).as(type.name()).contains("### " + type.name() + " (");
      }
    }
  }
}
