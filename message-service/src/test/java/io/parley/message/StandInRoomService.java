package io.parley.message;

import io.parley.shared.bus.Addresses;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.parley.shared.room.RoomMembership;
import io.parley.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The room service's {@code parley.room.members} as tests need it: memberships the test sets directly,
 * so a change can happen without the published invalidation (a lost message). It can hold its answers
 * (each taken as the membership was when the request arrived) until the test releases them, to put an
 * invalidation between a fetch and its reply; and it can fail a room's requests.
 */
public final class StandInRoomService {
  private final Map<UUID, RoomMembership> rooms = new ConcurrentHashMap<>();
  private final Set<UUID> failing = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean holding;
  private MessageConsumer<JsonObject> consumer;

  /** A request whose answer waits for {@link #release}. */
  public record Held(UUID room, Message<JsonObject> message, JsonObject answer) {
    public void release() {
      message.reply(answer);
    }
  }

  public static StandInRoomService start(Vertx vertx) {
    StandInRoomService service = new StandInRoomService();
    service.consumer = vertx.eventBus().consumer(Addresses.ROOM_MEMBERS, service::answer);
    Futures.await(service.consumer.completion());
    return service;
  }

  public Future<Void> stop() {
    return consumer.unregister();
  }

  private void answer(Message<JsonObject> message) {
    requests.incrementAndGet();
    UUID room = UUID.fromString(message.body().getString("room"));
    if (failing.contains(room)) {
      message.fail(500, "room service unavailable");
      return;
    }
    RoomMembership membership = rooms.get(room);
    JsonObject answer = membership == null ? new JsonObject().put("found", false) : membership.toJson();
    if (holding) {
      held.add(new Held(room, message, answer));
    } else {
      message.reply(answer);
    }
  }

  /** Sets the room's members as the room service sees them; nothing is published. */
  public void set(UUID room, RoomType type, Map<String, Role> members) {
    rooms.put(room, new RoomMembership(room, type, members));
  }

  /** A group with an owner and members, as the room service sees it; nothing is published. */
  public void group(UUID room, String owner, String... members) {
    Map<String, Role> roles = new LinkedHashMap<>();
    roles.put(owner, Role.OWNER);
    for (String member : members) {
      roles.put(member, Role.MEMBER);
    }
    set(room, RoomType.GROUP, roles);
  }

  /** Removes a member in the room service's view only: the invalidation is "lost". */
  public void removeSilently(UUID room, String user) {
    Map<String, Role> members = new LinkedHashMap<>(rooms.get(room).members());
    members.remove(user);
    set(room, rooms.get(room).type(), members);
  }

  public void failRequestsFor(UUID room) {
    failing.add(room);
  }

  /** From now on answers wait in {@link #nextHeld} until released. */
  public void holdAnswers() {
    holding = true;
  }

  /** The next held request; waits for it to arrive (a bus delivery, not a timing assumption). */
  public Held nextHeld() {
    try {
      Held next = held.poll(30, TimeUnit.SECONDS);
      if (next == null) {
        throw new AssertionError("no membership request arrived");
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Membership requests received so far. */
  public int requests() {
    return requests.get();
  }
}
