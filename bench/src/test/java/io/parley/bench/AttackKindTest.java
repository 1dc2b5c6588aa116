package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The abuse scenario's command line: which rounds --attack asks for, and where connections come from. */
class AttackKindTest {

  @Test
  void each_is_one_round_per_kind_and_all_is_one_round_of_every_kind() {
    List<List<AttackKind>> rounds = AttackKind.rounds("each,all");

    assertThat(rounds).hasSize(AttackKind.values().length + 1);
    assertThat(rounds.get(0)).containsExactly(AttackKind.SILENT);
    assertThat(rounds.get(rounds.size() - 1)).containsExactly(AttackKind.values());
  }

  @Test
  void kinds_joined_by_plus_run_together_and_a_comma_starts_the_next_round() {
    assertThat(AttackKind.rounds("announce-pre+dribble-post, packet-flood"))
        .containsExactly(List.of(AttackKind.ANNOUNCE_PRE, AttackKind.DRIBBLE_POST), List.of(AttackKind.PACKET_FLOOD));
  }

  @Test
  void an_unknown_kind_is_refused_with_the_known_ones() {
    assertThatThrownBy(() -> AttackKind.rounds("slowloris")).hasMessageContaining("slowloris").hasMessageContaining("dribble-pre");
  }

  @Test
  void source_addresses_start_after_the_bystanders_and_stay_in_loopback() {
    assertThat(SourceAddresses.address(0)).isEqualTo("127.0.0.2");
    assertThat(SourceAddresses.address(253)).isEqualTo("127.0.0.255");
    assertThat(SourceAddresses.address(254)).isEqualTo("127.0.1.0");
    assertThat(SourceAddresses.address(SourceAddresses.MAX - 1)).isEqualTo("127.1.0.1");
  }
}
