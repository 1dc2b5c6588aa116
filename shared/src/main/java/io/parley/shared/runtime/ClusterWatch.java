package io.parley.shared.runtime;

import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.parley.shared.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a clustered process from becoming a zombie: a member that runs, says it is ready, and
 * receives nothing.
 *
 * <p>How one became a zombie (issue 13, measured): a message-service replica frozen 20 s (SIGSTOP)
 * was dropped by the other members after 6 s without a heartbeat, and they dropped its bus
 * registrations with it. After SIGCONT it formed a cluster of its own and reported ready; Hazelcast's
 * split-brain handler merged it back 94 s later, and it then received 0 of 5,496 requests while still
 * reporting ready.
 *
 * <p>Why such a process exits rather than re-registering its consumers: a merging member's data is
 * reset by Hazelcast, and vertx-hazelcast then republishes the node's subscriptions into a registry
 * the other members cleaned for that node while it was away. Whether every other member's node
 * selector sees them again depends on the order of entry events, the merge policy and a throttled
 * listener, none of which we control from outside Vert.x, and the measurement above shows it going
 * wrong. A fresh process joins through the path that always works, start-up, and every supervisor
 * (Kubernetes, systemd) already replaces a process that exits. So a process that learns it was
 * split off calls its {@code onLost} action (the service launcher logs one ERROR line and exits with
 * {@link #EXIT_STATUS}).
 *
 * <p>When the news is Hazelcast's MERGING, the action runs on Hazelcast's merge thread before the
 * merge goes on, and the launcher halts the process right there. Letting the merge finish and then
 * leaving costs the survivors: measured here, the merged member took partitions, failed its graceful
 * leave 11 s later (migration timeout), and the others' map operations kept retrying against
 * partitions it had held. A process halted before it rejoins was already dropped cleanly by the
 * others; nothing it could still do would reach anyone (its requests' replies have no route in a
 * cluster of one, and the gateways retry them on other replicas with the same request id).
 *
 * <p>Two signals:
 * <ul>
 *   <li>Hazelcast's lifecycle: MERGING (this member was in a separate cluster and is being merged
 *       back into the larger one) or MERGE_FAILED. The split-brain handler looks for other clusters
 *       every {@value #MERGE_CHECK_SECONDS} s (Hazelcast's default waits 300 s before its first look),
 *       so a split-off member learns it within seconds of being able to reach the others.
 *   <li>A self-probe every {@value #PROBE_INTERVAL_MS} ms: a request through the clustered bus to an
 *       address only this process listens on ({@link Addresses#selfProbe}), resolved through the
 *       cluster's registry like any other request. Its outcome is readiness's "registered and
 *       receiving". Answered NO_HANDLERS for {@value #LOST_AFTER_MS} ms, it means the registry no
 *       longer holds this node's registrations: lost as well.
 * </ul>
 */
public final class ClusterWatch {
  private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

  /** The exit status of a process that left because it lost the cluster (not 0: it did not ask to stop). */
  public static final int EXIT_STATUS = 3;
  /** Seconds between the split-brain handler's looks for another cluster to merge with. */
  static final int MERGE_CHECK_SECONDS = 5;
  static final long PROBE_INTERVAL_MS = 1_000;
  /** A probe that gets no answer in this time counts as failed (a busy node is not ready). */
  static final long PROBE_TIMEOUT_MS = 2_000;
  /** How long the registry may miss this node before the process gives up on it. */
  static final long LOST_AFTER_MS = 15_000;

  private final Vertx vertx;
  private final String address;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile Consumer<Loss> onLost = loss -> {};
  private volatile Loss loss;
  private volatile String problem = "not probed yet";
  private volatile long lastAnswerNanos;
  private long noHandlersSinceNanos = -1;

  private ClusterWatch(Vertx vertx, String node) {
    this.vertx = vertx;
    this.address = Addresses.selfProbe(node);
  }

  /** Starts watching the cluster {@code vertx} is a member of; completes once the probe's consumer is registered. */
  static Future<ClusterWatch> start(Vertx vertx) {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    ClusterWatch watch = new ClusterWatch(vertx, manager.getNodeId());
    if (manager instanceof HazelcastClusterManager hazelcast) {
      hazelcast.getHazelcastInstance().getLifecycleService().addLifecycleListener(event -> {
        if (event.getState() == LifecycleState.MERGING) {
          watch.lose(new Loss("this process was split from the cluster (frozen or partitioned longer than the heartbeat"
              + " timeout) and is about to be merged back; the other members dropped its bus registrations meanwhile", true));
        } else if (event.getState() == LifecycleState.MERGE_FAILED) {
          watch.lose(new Loss("merging back into the cluster after a split failed", false));
        }
      });
    }
    // A context of its own: a verticle's would take the timer and the consumer with it when undeployed.
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    return context.<Void>future(registered -> context.runOnContext(v -> {
      vertx.eventBus().<String>consumer(watch.address, probe -> probe.reply("here")).completion().onComplete(done -> {
        vertx.setPeriodic(1, PROBE_INTERVAL_MS, id -> watch.probe());
        registered.handle(done);
      });
    })).map(watch);
  }

  /**
   * Why this process lost its cluster. {@code merging}: the action runs on Hazelcast's merge thread,
   * before this member rejoins, and should end the process there without a graceful leave.
   */
  public record Loss(String reason, boolean merging) {}

  /** What to do once the cluster is lost (once; set it right after start, before a loss can happen). */
  void onLost(Consumer<Loss> action) {
    onLost = action;
  }

  /** Null while the last probe was answered; otherwise why this process is not registered and receiving. */
  String problem() {
    Loss lost = loss;
    return lost != null ? "lost the cluster: " + lost.reason() : problem;
  }

  /** {@code {"members": 6, "self_probe": "ok", "last_answer_ms_ago": 412}} for the readiness body. */
  JsonObject describe() {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    String current = problem();
    return new JsonObject()
        .put("members", manager.getNodes().size())
        .put("self_probe", current == null ? "ok" : current)
        .put("last_answer_ms_ago", lastAnswerNanos == 0 ? null : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAnswerNanos));
  }

  private void probe() {
    if (!probing.compareAndSet(false, true)) {
      return;
    }
    vertx.eventBus().request(address, "probe", new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS)).onComplete(done -> {
      probing.set(false);
      record(done.failed() ? done.cause() : null);
    });
  }

  private void record(Throwable failure) {
    long now = System.nanoTime();
    if (failure == null) {
      problem = null;
      lastAnswerNanos = now;
      noHandlersSinceNanos = -1;
      return;
    }
    problem = "self-probe through the cluster failed: " + failure.getMessage();
    if (!(failure instanceof ReplyException reply) || reply.failureType() != ReplyFailure.NO_HANDLERS) {
      noHandlersSinceNanos = -1;
      return;
    }
    if (noHandlersSinceNanos < 0) {
      noHandlersSinceNanos = now;
    } else if (TimeUnit.NANOSECONDS.toMillis(now - noHandlersSinceNanos) >= LOST_AFTER_MS) {
      lose(new Loss("the cluster's registry has not held this process's bus registrations for " + LOST_AFTER_MS + " ms", false));
    }
  }

  private void lose(Loss what) {
    if (lost.compareAndSet(false, true)) {
      loss = what;
      log.error("lost cluster membership: {}", what.reason());
      onLost.accept(what);
    }
  }
}
