package io.parley.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.PacketRoutes;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.protocol.packet.ClientPacket;
import io.parley.shared.protocol.packet.CreateRoom;
import io.parley.shared.protocol.packet.Packets;
import io.parley.shared.protocol.packet.RoomInfo;
import io.parley.shared.protocol.packet.RoomList;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.parley.testing.Futures;
import io.parley.testing.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployed room service on real PostgreSQL with stand-ins for the services it talks to, which
 * record what they were sent. Requests go over the bus exactly as the gateway sends them.
 *
 * <p>Stand-ins: the auth service knows every user except those named {@code nobody*}, and the device
 * keys in {@link #deviceKeys}; the message service answers stats from {@link #stats} and appends
 * every event to {@link #log} (seq counting per room) once per event id, as the real one does,
 * unless {@link #failAppends} is set; while {@link #dropAppendReplies} is set it appends but never
 * answers (a reply lost, or a message service too slow).
 */
public final class RoomHarness implements AutoCloseable {
  /** What the room service announced, in order: a membership-changed publication or an append. */
  sealed interface Announced permits Published, Appended {}

  record Published(UUID room) implements Announced {}

  /** An append request; {@code event} carries {@link #ANY_ID} so tests can compare it, {@code id} the one sent. */
  record Appended(AppendRoomEvent event, UUID id) implements Announced {}

  /** The event id of every expected event in these tests: the room service picks the real ones. */
  static final UUID ANY_ID = new UUID(0, 0);

  public final Vertx vertx = Vertx.vertx();
  final List<Announced> announced = new CopyOnWriteArrayList<>();
  final List<JsonObject> statsRequests = new CopyOnWriteArrayList<>();
  final Map<String, JsonArray> deviceKeys = new ConcurrentHashMap<>();
  /** user → {room → {last_seq, unread}}. */
  final Map<String, JsonObject> stats = new ConcurrentHashMap<>();
  public volatile boolean failAppends;
  public volatile boolean dropAppendReplies;
  /** The stand-in message service's log: room → the events appended, in seq order. */
  final Map<UUID, List<RoomEvent>> log = new ConcurrentHashMap<>();
  private final Map<UUID, RoomEvent> logById = new ConcurrentHashMap<>();
  private final AtomicInteger names = new AtomicInteger();

  static RoomHarness start(String label) {
    return start(TestInfra.config(label), 1);
  }

  /** With {@code replicas} room verticles on one schema, as replicas of the room service are. */
  public static RoomHarness start(io.parley.shared.config.ParleyConfig config, int replicas) {
    RoomHarness harness = new RoomHarness();
    // One verticle, so every stand-in runs on one event loop and sees deliveries in the order sent
    // (the publish-before-append order is part of the contract under test).
    Futures.await(harness.vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return harness.standIns();
      }
    }));
    for (int i = 0; i < replicas; i++) {
      Futures.await(harness.vertx.deployVerticle(new RoomVerticle(config)));
    }
    return harness;
  }

  private Future<?> standIns() {
    var bus = vertx.eventBus();
    List<Future<Void>> registered = new java.util.ArrayList<>();
    registered.add(bus.<JsonObject>consumer(Addresses.AUTH_USERS_EXIST, message -> {
      JsonArray unknown = new JsonArray();
      message.body().getJsonArray("users").forEach(user -> {
        if (String.valueOf(user).startsWith("nobody")) {
          unknown.add(user);
        }
      });
      message.reply(new JsonObject().put("unknown", unknown));
    }).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.AUTH_DEVICE_KEYS, message -> {
      JsonObject keys = new JsonObject();
      message.body().getJsonArray("users").forEach(user -> {
        JsonArray devices = deviceKeys.get(String.valueOf(user));
        if (devices != null) {
          keys.put(String.valueOf(user), devices);
        }
      });
      message.reply(new JsonObject().put("keys", keys));
    }).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.MESSAGE_ROOM_STATS, message -> {
      statsRequests.add(message.body());
      message.reply(new JsonObject().put("stats", stats.getOrDefault(message.body().getString("user"), new JsonObject())));
    }).completion());
    registered.add(bus.<AppendRoomEvent>consumer(Addresses.MESSAGE_APPEND_ROOM_EVENT, message -> {
      AppendRoomEvent append = message.body();
      announced.add(new Appended(withoutId(append), append.id()));
      if (failAppends) {
        message.fail(500, "stand-in told to fail");
        return;
      }
      RoomEvent event = logById.computeIfAbsent(append.id(), id -> {
        List<RoomEvent> events = log.computeIfAbsent(append.room(), room -> new CopyOnWriteArrayList<>());
        RoomEvent appended = new RoomEvent(id, append.room(), events.size() + 1, append.kind(), append.actor(), null, Instant.now(), append.data());
        events.add(appended);
        return appended;
      });
      if (!dropAppendReplies) {
        message.reply(event.toJson());
      }
    }).completion());
    registered.add(bus.<JsonObject>consumer(Addresses.EVENTS_MEMBERSHIP_CHANGED,
        message -> announced.add(new Published(UUID.fromString(message.body().getString("room"))))).completion());
    return Future.all(registered);
  }

  /** A username no other test uses: {@code prefix} plus a number. */
  public String user(String prefix) {
    return prefix + names.incrementAndGet();
  }

  Envelope send(String address, String user, JsonObject data) {
    ClientPacket packet;
    try {
      packet = packetFor(address, data);
    } catch (BadPacketException refused) {
      // What the client gets: the gateway validates and refuses; the room service trusts the record.
      return refused.toStatus();
    }
    BusRequest request = new BusRequest(user, UUID.randomUUID().toString(), "conn-1", "node-1", "127.0.0.1", null, packet);
    return Futures.await(requestAsync(address, request));
  }

  /** What the gateway would forward for {@code data} sent to {@code address}: the validated packet. */
  static ClientPacket packetFor(String address, JsonObject data) {
    PacketType type = Arrays.stream(PacketType.values()).filter(candidate -> address.equals(PacketRoutes.address(candidate))).findFirst().orElseThrow();
    return Packets.parse(type, data);
  }

  Future<Envelope> requestAsync(String address, BusRequest request) {
    return vertx.eventBus().<BusReply>request(address, request)
        .map(reply -> reply.body().packet());
  }

  Envelope create(String user, RoomType type, String name, String... people) {
    return send(Addresses.ROOM_CREATE, user, new CreateRoom(type, name, Arrays.asList(people)).toData());
  }

  public UUID createRoom(String user, RoomType type, String name, String... people) {
    Envelope reply = create(user, type, name, people);
    assertThat(reply.statusCode()).as(reply.toString()).contains(StatusCode.ROOM_OK);
    return UUID.fromString(reply.data().getString("room"));
  }

  /** A group or channel with an owner, admins and members as given (created, then promoted). */
  UUID roomWith(RoomType type, String owner, List<String> admins, List<String> members) {
    String[] people = java.util.stream.Stream.concat(admins.stream(), members.stream()).toArray(String[]::new);
    UUID room = createRoom(owner, type, "Room of " + owner, people);
    admins.forEach(admin -> assertOk(alter(owner, new AlterRoom.Promote(room, admin))));
    return room;
  }

  public Envelope alter(String user, AlterRoom.Action action) {
    return send(Addresses.ROOM_ALTER, user, new AlterRoom(action).toData());
  }

  Envelope list(String user) {
    return send(Addresses.ROOM_LIST, user, new RoomList().toData());
  }

  Envelope info(String user, UUID room) {
    return send(Addresses.ROOM_INFO, user, new RoomInfo(room).toData());
  }

  /** What the message service would get on a cache miss. */
  JsonObject members(UUID room) {
    return Futures.await(vertx.eventBus().<JsonObject>request(Addresses.ROOM_MEMBERS, new JsonObject().put("room", room.toString())))
        .body();
  }

  /** The live room's members and roles, as the room service answers the message service. */
  Map<String, Role> membersOf(UUID room) {
    JsonObject json = members(room);
    Map<String, Role> members = new LinkedHashMap<>();
    if (json.containsKey("members")) {
      json.getJsonArray("members").forEach(entry -> {
        JsonObject member = (JsonObject) entry;
        members.put(member.getString("user"), Role.fromWire(member.getString("role")).orElseThrow());
      });
    }
    return members;
  }

  static AppendRoomEvent withoutId(AppendRoomEvent event) {
    return new AppendRoomEvent(ANY_ID, event.room(), event.kind(), event.actor(), event.data(), event.alsoNotify());
  }

  /** The stand-in log's events of the room, in seq order. */
  public List<RoomEvent> logOf(UUID room) {
    return List.copyOf(log.getOrDefault(room, List.of()));
  }

  /** The ids of the append requests for the room, in the order received (retries included). */
  public List<UUID> appendRequestIds(UUID room) {
    return announced.stream()
        .filter(a -> a instanceof Appended appended && appended.event().room().equals(room))
        .map(a -> ((Appended) a).id())
        .toList();
  }

  List<AppendRoomEvent> appended(UUID room) {
    return announced.stream()
        .filter(Appended.class::isInstance)
        .map(a -> ((Appended) a).event())
        .filter(event -> event.room().equals(room))
        .toList();
  }

  List<Announced> announcedFor(UUID room) {
    return announced.stream()
        .filter(a -> a instanceof Published p ? p.room().equals(room) : ((Appended) a).event().room().equals(room))
        .toList();
  }

  public static void assertOk(Envelope reply) {
    assertThat(reply.statusCode()).as(reply.toString()).contains(StatusCode.ROOM_OK);
  }

  static void assertStatus(Envelope reply, StatusCode code, String desc) {
    assertThat(reply.statusCode()).as(reply.toString()).contains(code);
    assertThat(reply.data().getString("desc")).isEqualTo(desc);
  }

  static void assertStatusContaining(Envelope reply, StatusCode code, String descPart) {
    assertThat(reply.statusCode()).as(reply.toString()).contains(code);
    assertThat(reply.data().getString("desc")).contains(descPart);
  }

  @Override
  public void close() {
    Futures.await(vertx.close());
  }
}
