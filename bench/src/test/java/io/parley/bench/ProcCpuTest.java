package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcCpuTest {
  @Test
  void utime_and_stime_are_read_after_a_command_name_holding_spaces_and_parentheses() {
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 95 0 0 0 1234 567 8 9 20 0 30 0 100 0 0";

    assertThat(ProcCpu.ticksOf(stat)).isEqualTo(1234 + 567);
  }

  @Test
  void a_tick_is_ten_milliseconds() {
    assertThat(ProcCpu.millis(250)).isEqualTo(2500.0);
  }

  @Test
  void this_process_has_spent_cpu_and_a_gone_process_counts_nothing() {
    assertThat(ProcCpu.ownTicks(ProcessHandle.current().pid())).isPositive();
    assertThat(ProcCpu.ownTicks(Long.MAX_VALUE)).isZero();
  }

  @Test
  void the_tree_holds_each_descendant_once_however_the_roots_overlap() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try {
      long self = ProcessHandle.current().pid();

      assertThat(ProcCpu.treeOf(List.of(self))).contains(self, child.pid());
      assertThat(ProcCpu.treeOf(List.of(self, child.pid())).stream().filter(p -> p == child.pid())).hasSize(1);
    } finally {
      child.destroy();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void the_probe_watches_a_process_once_when_it_is_already_a_descendant() throws Exception {
    Process child = new ProcessBuilder("sleep", "60").start();
    try {
      ServerProbe probe = new ServerProbe(Long.toString(ProcessHandle.current().pid()));

      assertThat(probe.watching(child.pid()).pids()).containsExactly(ProcessHandle.current().pid());
      long[] snapshot = probe.cpuSnapshot();
      assertThat(probe.serverCpuMs(snapshot, snapshot)).isZero();
      assertThat(probe.benchCpuMs(snapshot, probe.cpuSnapshot())).isNotNegative();
    } finally {
      child.destroy();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
