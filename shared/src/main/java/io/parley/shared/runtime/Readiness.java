package io.parley.shared.runtime;

import io.parley.shared.infra.Dependencies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What {@code /health/ready} answers: "this process can serve", from state kept up to date in the
 * background ({@link Dependencies}' probes, {@link ClusterWatch}'s self-probe), so the answer costs a
 * few field reads and never waits behind request work (issue 17: a saturated gateway's readiness
 * ping queued behind its Redis traffic and did not answer within 1 s for 35 s).
 *
 * <p>Not ready while stopping, while a clustered process is not registered and receiving, or while a
 * dependency it cannot serve without is down. Any other dependency that is down is reported under
 * {@code degraded} and leaves the process ready: a gateway serves without Redis (live pushes fall back
 * to asking every gateway), and one Redis outage must not take every gateway out of the load balancer
 * at once.
 */
public final class Readiness {
  private final ParleyRuntime runtime;
  private final Set<String> required;
  private final Supplier<JsonObject> details;
  private volatile boolean stopping;

  private Readiness(ParleyRuntime runtime, Set<String> required, Supplier<JsonObject> details) {
    this.runtime = runtime;
    this.required = required;
    this.details = details;
  }

  /** Ready unless stopping, out of the cluster, or one of {@code required} ({@link Dependencies} names) is down. */
  public static Readiness requiring(ParleyRuntime runtime, Set<String> required) {
    return new Readiness(runtime, required, JsonObject::new);
  }

  /** The same, with {@code details} merged into the body (standalone adds its embedded servers' supervision). */
  public Readiness withDetails(Supplier<JsonObject> moreDetails) {
    return new Readiness(runtime, required, moreDetails);
  }

  /** From now on not ready: load balancers stop sending new connections before the process stops accepting. */
  public void stopping() {
    stopping = true;
  }

  /** {@code {"ready":false,"reason":"postgres down","postgres":"down","redis":"up","degraded":[],...}}. */
  JsonObject state() {
    List<String> reasons = new ArrayList<>();
    if (stopping) {
      reasons.add("stopping");
    }
    JsonObject body = new JsonObject();
    ClusterWatch cluster = runtime.clusterWatch();
    if (cluster != null) {
      String problem = cluster.problem();
      if (problem != null) {
        reasons.add(problem);
      }
      body.put("cluster", cluster.describe());
    }
    JsonObject states = Dependencies.of(runtime.vertx()).states();
    JsonArray degraded = new JsonArray();
    for (String name : states.fieldNames()) {
      if ("up".equals(states.getString(name))) {
        continue;
      }
      if (required.contains(name)) {
        reasons.add(name + " down");
      } else {
        degraded.add(name);
      }
    }
    body.put("ready", reasons.isEmpty());
    if (!reasons.isEmpty()) {
      body.put("reason", String.join("; ", reasons));
    }
    return body.put("degraded", degraded).mergeIn(states).mergeIn(details.get());
  }
}
