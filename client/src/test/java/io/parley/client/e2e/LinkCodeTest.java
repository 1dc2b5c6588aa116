package io.parley.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LinkCodeTest {
  final UUID device = UUID.randomUUID();
  final byte[] key = ChatKey.generate().publicKey();
  final byte[] nonce = Primitives.random(16);

  @Test
  void a_code_reads_back_as_typed_and_binds_only_its_own_device_key_and_nonce() {
    LinkCode code = LinkCode.create(device, key, nonce);
    assertThat(code.toString()).matches("[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}");
    LinkCode typed = LinkCode.parse(" " + code.toString().toLowerCase().replace("-", " ") + " ").orElseThrow();
    assertThat(typed).isEqualTo(code);
    assertThat(typed.binds(device, key, nonce)).isTrue();
    assertThat(typed.binds(device, ChatKey.generate().publicKey(), nonce)).isFalse();
    assertThat(typed.binds(UUID.randomUUID(), key, nonce)).isFalse();
    assertThat(typed.binds(device, key, Primitives.random(16))).isFalse();
  }

  @Test
  void the_proof_key_depends_on_the_secret_part() {
    LinkCode code = LinkCode.create(device, key, nonce);
    LinkCode otherSecret = new LinkCode(code.binding(), code.secret().equals("222222") ? "333333" : "222222");
    assertThat(code.proofKey(device, nonce)).isNotEqualTo(otherSecret.proofKey(device, nonce));
  }

  @Test
  void what_is_not_a_code_is_refused() {
    assertThat(LinkCode.parse("ABCD-EFGH")).isEmpty();
    assertThat(LinkCode.parse("ABCD-EFGH-JKLM-NPQ0")).isEmpty();
  }

  @Test
  void history_keys_survive_their_text_form() {
    UUID event = UUID.randomUUID();
    byte[] k = Primitives.random(32);
    Map<UUID, byte[]> back = HistoryKeys.parse(HistoryKeys.format(Map.of(event, k)) + "garbage line\n");
    assertThat(back).containsOnlyKeys(event);
    assertThat(back.get(event)).isEqualTo(k);
  }
}
