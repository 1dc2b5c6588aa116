package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict of a fault run, from a ledger filled by hand: what counts as lost, doubled, disturbed, recovered. */
class FaultLedgerTest {
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  static final long FAULT_AT = 10 * S;
  static final long SLOW = 1000 * MS;

  /** A message sent at {@code sentS}, answered after {@code ackMs}, pushed and stored as told. */
  static int acked(FaultLedger ledger, double sentS, long ackMs, int pushes, int stored) {
    int index = ledger.sent((long) (sentS * S));
    ledger.acked(index, (long) (sentS * S) + ackMs * MS);
    record(ledger, index, pushes, stored);
    return index;
  }

  static void record(FaultLedger ledger, int index, int pushes, int stored) {
    for (int p = 0; p < pushes; p++) {
      ledger.pushed(index, 40 * MS);
    }
    for (int s = 0; s < stored; s++) {
      ledger.foundInLog(index);
    }
  }

  @Test
  void a_fault_with_failures_then_recovery_is_accounted_message_by_message() {
    FaultLedger ledger = new FaultLedger(100);
    acked(ledger, 9.0, 5, 1, 1);
    acked(ledger, 9.5, 5, 1, 1);
    int failedStored = ledger.sent((long) (10.2 * S));
    ledger.failed(failedStored, 21 * S, "TIMEOUT");
    record(ledger, failedStored, 0, 1);
    int unavailable = ledger.sent((long) (11.0 * S));
    ledger.failed(unavailable, (long) (11.01 * S), "UNAVAILABLE");
    acked(ledger, 12.0, 3000, 1, 1); // slow
    acked(ledger, 12.5, 5, 0, 1); // push missed, found by the sync
    acked(ledger, 13.0, 5, 2, 2); // pushed twice, stored twice
    acked(ledger, 13.5, 5, 0, 0); // lost
    ledger.sent(14 * S); // never answered

    JsonObject verdict = ledger.summary(FAULT_AT, SLOW);

    assertThat(verdict.getLong("sent")).isEqualTo(9);
    assertThat(verdict.getLong("acked")).isEqualTo(6);
    assertThat(verdict.getLong("failed")).isEqualTo(2);
    assertThat(verdict.getJsonObject("failed_by").getMap()).containsEntry("TIMEOUT", 1L).containsEntry("UNAVAILABLE", 1L);
    assertThat(verdict.getLong("unanswered")).isEqualTo(1);
    assertThat(verdict.getLong("lost")).isEqualTo(1);
    assertThat(verdict.getLong("acked_not_in_log")).isEqualTo(1);
    assertThat(verdict.getLong("duplicates_in_log")).isEqualTo(1);
    assertThat(verdict.getLong("duplicate_pushes")).isEqualTo(1);
    assertThat(verdict.getLong("failed_but_in_log")).isEqualTo(1);
    assertThat(verdict.getLong("push_missed_found_by_sync")).isEqualTo(1);
    assertThat(verdict.getDouble("push_missed_from_s")).isEqualTo(2.5);
    assertThat(verdict.getLong("slow_acks")).isEqualTo(1);
    assertThat(verdict.getDouble("max_ack_ms")).isEqualTo(3000.0);
    assertThat(verdict.getDouble("max_push_ms")).as("the first push of each").isEqualTo(40.0);
    assertThat(verdict.getDouble("max_fail_ms")).as("the TIMEOUT").isCloseTo(10_800.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(verdict.getDouble("error_from_s")).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(verdict.getDouble("error_to_s")).as("the unanswered send is the last failure").isEqualTo(4.0);
    assertThat(verdict.getDouble("slow_from_s")).isEqualTo(2.0);
    assertThat(verdict.getDouble("slow_to_s")).isEqualTo(2.0);
    assertThat(verdict.getBoolean("recovered")).as("nothing undisturbed was sent after it").isFalse();
    assertThat(verdict.getDouble("recovered_after_s")).isNull();
  }

  @Test
  void recovery_is_the_first_prompt_acknowledgement_after_the_last_failed_or_slow_send() {
    FaultLedger ledger = new FaultLedger(10);
    int early = ledger.sent(5 * S);
    ledger.failed(early, 5 * S + MS, "UNAVAILABLE"); // answered before the fault: not its doing
    int failed = ledger.sent(11 * S);
    ledger.failed(failed, 11 * S + MS, "UNAVAILABLE");
    acked(ledger, 12.0, 1500, 1, 1);
    acked(ledger, 13.0, 5, 1, 1);
    acked(ledger, 14.0, 5, 1, 1);

    JsonObject verdict = ledger.summary(FAULT_AT, SLOW);

    assertThat(verdict.getLong("slow_or_failed_before_fault")).isEqualTo(1);
    assertThat(verdict.getDouble("error_from_s")).isEqualTo(1.0);
    assertThat(verdict.getDouble("error_window_s")).isEqualTo(0.0);
    assertThat(verdict.getDouble("slow_to_s")).isEqualTo(2.0);
    assertThat(verdict.getBoolean("recovered")).isTrue();
    assertThat(verdict.getDouble("recovered_after_s")).isEqualTo(3.0);
    assertThat(verdict.getLong("lost")).isZero();
  }

  @Test
  void an_undisturbed_run_has_no_window_and_nothing_to_recover_from() {
    FaultLedger ledger = new FaultLedger(10);
    acked(ledger, 9.0, 5, 1, 1);
    acked(ledger, 11.0, 5, 1, 1);

    JsonObject verdict = ledger.summary(FAULT_AT, SLOW);

    assertThat(verdict.getValue("error_window_s")).isNull();
    assertThat(verdict.getBoolean("recovered")).isTrue();
    assertThat(verdict.getValue("recovered_after_s")).isNull();
  }

  @Test
  void the_seconds_count_sends_by_when_they_were_made_from_the_fault() {
    FaultLedger ledger = new FaultLedger(10);
    acked(ledger, 9.2, 5, 1, 1);
    int failed = ledger.sent((long) (10.5 * S));
    ledger.failed(failed, 11 * S, "UNAVAILABLE");
    acked(ledger, 10.7, 1500, 0, 1);

    List<JsonObject> seconds = ledger.perSecond(FAULT_AT, SLOW);

    assertThat(seconds).hasSize(11);
    assertThat(seconds.get(9).getLong("t_s")).isEqualTo(-1);
    assertThat(seconds.get(9).getLong("acked")).isEqualTo(1);
    JsonObject faultSecond = seconds.get(10);
    assertThat(faultSecond.getLong("t_s")).isZero();
    assertThat(faultSecond.getLong("sent")).isEqualTo(2);
    assertThat(faultSecond.getLong("failed")).isEqualTo(1);
    assertThat(faultSecond.getJsonObject("failed_by").getMap()).containsEntry("UNAVAILABLE", 1L);
    assertThat(faultSecond.getLong("slow")).isEqualTo(1);
    assertThat(faultSecond.getLong("pushed")).isZero();
    assertThat(faultSecond.getDouble("max_ack_ms")).isEqualTo(1500.0);
    assertThat(faultSecond.getDouble("max_fail_ms")).isEqualTo(500.0);
    assertThat(seconds.get(9).getDouble("max_push_ms")).isEqualTo(40.0);
  }
}
