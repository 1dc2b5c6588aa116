package io.parley.message.delivery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The presence look-ups asked during one event-loop turn go to Redis together, as one pipelined
 * batch of the distinct users: a group commit completes up to its whole batch of sends in one turn,
 * and their pushes would otherwise cost one Redis round trip each (a write and a read in the JVM, a
 * wake-up in Redis). Each caller gets only its own users' devices, and a failed batch fails every
 * caller of that turn, so {@link Fanout}'s outage fallback sees what it saw before. Used from one
 * event loop only, like the Fanout that owns it.
 */
final class CoalescedLookup implements Fanout.DeviceLookup {
  private record Waiter(Collection<String> users, Promise<Map<String, Map<String, List<String>>>> answer) {}

  private final Vertx vertx;
  private final Fanout.DeviceLookup presence;
  private List<Waiter> waiting = new ArrayList<>();

  CoalescedLookup(Vertx vertx, Fanout.DeviceLookup presence) {
    this.vertx = vertx;
    this.presence = presence;
  }

  @Override
  public Future<Map<String, Map<String, List<String>>>> devicesByNode(Collection<String> users) {
    Promise<Map<String, Map<String, List<String>>>> answer = Promise.promise();
    waiting.add(new Waiter(users, answer));
    if (waiting.size() == 1) {
      // Runs after the rest of this turn, once every push the turn completes has asked.
      vertx.runOnContext(v -> lookUp());
    }
    return answer.future();
  }

  private void lookUp() {
    List<Waiter> turn = waiting;
    waiting = new ArrayList<>();
    Set<String> users = new LinkedHashSet<>();
    turn.forEach(waiter -> users.addAll(waiter.users()));
    presence.devicesByNode(users).onComplete(lookup -> {
      for (Waiter waiter : turn) {
        if (lookup.failed()) {
          waiter.answer().fail(lookup.cause());
        } else {
          waiter.answer().complete(turn.size() == 1 ? lookup.result() : only(waiter.users(), lookup.result()));
        }
      }
    });
  }

  /** The part of node → user → devices that concerns these users. */
  private static Map<String, Map<String, List<String>>> only(Collection<String> users, Map<String, Map<String, List<String>>> byNode) {
    Map<String, Map<String, List<String>>> mine = new HashMap<>();
    byNode.forEach((node, devicesByUser) -> {
      for (String user : users) {
        List<String> devices = devicesByUser.get(user);
        if (devices != null) {
          mine.computeIfAbsent(node, n -> new HashMap<>()).put(user, devices);
        }
      }
    });
    return mine;
  }
}
