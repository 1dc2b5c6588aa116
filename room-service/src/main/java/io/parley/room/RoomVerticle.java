package io.parley.room;

import io.parley.room.membership.ForgetMemberHandler;
import io.parley.room.membership.RoomMembersHandler;
import io.parley.room.outbox.OutboxRelay;
import io.parley.room.outbox.OutboxStore;
import io.parley.room.peers.Peers;
import io.parley.room.rooms.AlterRoomHandler;
import io.parley.room.rooms.CreateRoomHandler;
import io.parley.room.rooms.RoomAdminHandlers;
import io.parley.room.rooms.RoomInfoHandler;
import io.parley.room.rooms.RoomListHandler;
import io.parley.room.rooms.RoomSizes;
import io.parley.room.rooms.RoomStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusTimeouts;
import io.parley.shared.bus.InternalHandler;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.config.ConfigKey;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ParleyInfra;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.service.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The room service: owns the `room` schema (rooms, members and roles) and the CREATE_ROOM,
 * ALTER_ROOM, ROOM_LIST and ROOM_INFO requests, and answers the message service's membership
 * lookups on {@link Addresses#ROOM_MEMBERS}. Room changes reach the rooms' logs in the message
 * service through the outbox of the room schema ({@link OutboxRelay}).
 */
public final class RoomVerticle extends ServiceVerticle {
  public static final String SCHEMA = "room";

  /**
   * The outbox relay's own connections ({@code parley-pg-room-outbox}). A relay keeps its room's
   * transaction, and so a connection, open while the message service appends the event; the append
   * asks this service for the room's members ({@link Addresses#ROOM_MEMBERS}), which needs a
   * connection too. On one pool, a burst of room changes (a few dozen rooms created at once on a
   * freshly started, slow cluster) let relays hold every connection: no members lookup could be
   * answered, each relay waited out its timeout, and the {@code SELECT 1} probe, starved as well,
   * reported PostgreSQL down, so requests answered UNAVAILABLE (issue 13's cold cluster). On a pool of
   * their own, relays wait at worst for each other; the members lookups and the requests never wait
   * for a relay.
   */
  static final String OUTBOX_POOL = "outbox";

  /** Half of PARLEY_PG_POOL_SIZE, at least one: relays of different rooms overlap only in bursts. */
  static int outboxPoolSize(ParleyConfig config) {
    return Math.max(1, config.getInt(ConfigKey.PG_POOL_SIZE) / 2);
  }

  private OutboxRelay relay;
  private Pool relayPool;

  public RoomVerticle(ParleyConfig config) {
    super(config);
  }

  @Override
  protected String schema() {
    return SCHEMA;
  }

  @Override
  protected Map<String, RequestHandler> handlers(ServiceResources resources) {
    RoomStore store = new RoomStore(resources.pool());
    Peers peers = new Peers(vertx, new BusClient(vertx, BusTimeouts.from(config)));
    relayPool = ParleyInfra.pgPoolFor(vertx, config, SCHEMA, OUTBOX_POOL, outboxPoolSize(config));
    relay = new OutboxRelay(vertx, new OutboxStore(relayPool), peers);
    Map<String, RequestHandler> handlers = new LinkedHashMap<>();
    handlers.put(Addresses.ROOM_CREATE, new CreateRoomHandler(store, peers, relay));
    handlers.put(Addresses.ROOM_ALTER, new AlterRoomHandler(store, peers, relay));
    handlers.put(Addresses.ROOM_LIST, new RoomListHandler(store, peers));
    handlers.put(Addresses.ROOM_INFO, new RoomInfoHandler(store, peers));
    return handlers;
  }

  /** Serves, then sweeps the outbox: events a previous run or another replica left are relayed. */
  @Override
  public Future<?> start() {
    return super.start().onSuccess(started -> relay.start());
  }

  @Override
  public Future<?> stop() {
    if (relay != null) {
      relay.stop();
    }
    return super.stop().compose(stopped -> relayPool == null ? Future.succeededFuture() : relayPool.close());
  }

  @Override
  protected Map<String, InternalHandler> internalHandlers(ServiceResources resources) {
    RoomStore store = new RoomStore(resources.pool());
    Map<String, InternalHandler> handlers = new LinkedHashMap<>(Map.of(
        Addresses.ROOM_MEMBERS, new RoomMembersHandler(store),
        Addresses.ROOM_FORGET_MEMBER, new ForgetMemberHandler(store, relay)));
    handlers.putAll(new RoomAdminHandlers(store, new RoomSizes(resources.pool())).handlers());
    return handlers;
  }
}
