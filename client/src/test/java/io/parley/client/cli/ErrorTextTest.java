package io.parley.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.StatusCode;
import org.junit.jupiter.api.Test;

/** Every status code a person can meet has a sentence written for people, not the protocol's meaning. */
class ErrorTextTest {

  @Test
  void every_status_code_has_its_own_sentence() {
    for (StatusCode code : StatusCode.values()) {
      String sentence = ErrorText.sentence(code, null);
      assertThat(sentence).as(code.name())
          .isNotEqualTo(ErrorText.capitalised(code.meaning()) + ".")
          .doesNotContain(code.name())
          .endsWith(".");
    }
  }

  @Test
  void a_field_rule_names_the_field_in_words() {
    assertThat(ErrorText.sentence(StatusCode.BAD_PACKET, "actiondata.content: must decode to at most 65536 bytes"))
        .isEqualTo("The message must decode to at most 65536 bytes.");
    assertThat(ErrorText.sentence(StatusCode.BAD_PACKET, "people[1]: no such user 'zed'; people[3]: no such user 'yves'"))
        .isEqualTo("There is no user named 'zed'.");
  }
}
