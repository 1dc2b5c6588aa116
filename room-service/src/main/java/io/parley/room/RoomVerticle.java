package io.parley.room;

import io.parley.room.handler.AlterRoomHandler;
import io.parley.room.handler.CreateRoomHandler;
import io.parley.room.handler.ForgetMemberHandler;
import io.parley.room.handler.RoomAdminHandlers;
import io.parley.room.handler.RoomInfoHandler;
import io.parley.room.handler.RoomListHandler;
import io.parley.room.handler.RoomMembersHandler;
import io.parley.room.store.OutboxStore;
import io.parley.room.store.RoomSizes;
import io.parley.room.store.RoomStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusTimeouts;
import io.parley.shared.bus.InternalHandler;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.service.ServiceVerticle;
import io.vertx.core.Future;
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

  private OutboxRelay relay;

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
    relay = new OutboxRelay(vertx, new OutboxStore(resources.pool()), peers);
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
    return super.stop();
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
