package io.parley.shared.bus;

/**
 * How many repeated attempts a {@link BusClient} may make: each first attempt earns {@link #RATIO}
 * of a retry, each retry spends one, and at most {@link #CAP} are saved up. So, once the savings are
 * spent, retries add at most half to the load the services see, however slow they get.
 *
 * <p>Why a budget: a request is repeated when its attempt timed out, and under overload every attempt
 * times out. Unbounded, each request then became three in the services' queues while the first was
 * still waiting there — measured at 16,000 msg/s, the gateway's retries of CHAT_ACTION filled the
 * message service's heap until it stopped (docs/benchmarks.md, round two). A frozen replica needs a
 * retry for each request that went to it until the cluster drops it (about 6 s): with two replicas
 * that is half the requests. A first version (a fifth, 100 saved) turned a 20 s freeze at 100 sends
 * a second into 94 UNAVAILABLE answers (docs/reliability.md); half, with 1,000 saved, covers such a
 * freeze at that rate entirely and bounds an overload to 1.5 times its load. Used from one event loop
 * only.
 */
public final class RetryBudget {
  /** Retries earned per first attempt. */
  public static final double RATIO = 0.5;
  /** Most retries saved up; a new budget starts full. */
  public static final double CAP = 1_000;

  private double balance = CAP;

  /** A first attempt goes out. */
  public void earn() {
    balance = Math.min(CAP, balance + RATIO);
  }

  /** Spends one retry if there is one to spend. */
  public boolean trySpend() {
    if (balance < 1) {
      return false;
    }
    balance -= 1;
    return true;
  }
}
