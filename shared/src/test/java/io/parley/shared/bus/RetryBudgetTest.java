package io.parley.shared.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  @Test
  void a_new_budget_allows_its_cap_then_refuses() {
    RetryBudget budget = new RetryBudget();
    int spent = 0;
    while (budget.trySpend()) {
      spent++;
    }
    assertThat(spent).isEqualTo((int) RetryBudget.CAP);
  }

  @Test
  void once_spent_retries_come_back_at_one_per_two_first_attempts() {
    RetryBudget budget = new RetryBudget();
    while (budget.trySpend()) {
      // spend the saved-up retries
    }
    int granted = 0;
    for (int request = 0; request < 1_000; request++) {
      budget.earn();
      if (budget.trySpend()) {
        granted++;
      }
    }
    // 1,000 first attempts earn 500 retries.
    assertThat(granted).isEqualTo((int) (1_000 * RetryBudget.RATIO));
  }

  @Test
  void savings_stop_at_the_cap() {
    RetryBudget budget = new RetryBudget();
    for (int request = 0; request < 100_000; request++) {
      budget.earn();
    }
    int spent = 0;
    while (budget.trySpend()) {
      spent++;
    }
    assertThat(spent).isEqualTo((int) RetryBudget.CAP);
  }
}
