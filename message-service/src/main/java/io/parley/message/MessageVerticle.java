package io.parley.message;

import io.parley.message.chat.ChatActionHandler;
import io.parley.message.chat.ReadReceiptHandler;
import io.parley.message.chat.RoomAccess;
import io.parley.message.chat.SyncHandler;
import io.parley.message.delivery.Fanout;
import io.parley.message.log.AppendRoomEventHandler;
import io.parley.message.log.RoomSequencer;
import io.parley.message.log.RoomStatsHandler;
import io.parley.message.membership.MembershipCache;
import io.parley.message.store.EventStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusTimeouts;
import io.parley.shared.bus.InternalHandler;
import io.parley.shared.bus.RecordHandler;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.presence.Presence;
import io.parley.shared.service.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message service: owns the `message` schema — each room's event log, read pointers and the
 * idempotency record of requests — and delivers committed events live. Stateless across requests
 * apart from a membership cache, so replicas scale horizontally.
 */
public final class MessageVerticle extends ServiceVerticle {
  private static final Logger log = LoggerFactory.getLogger(MessageVerticle.class);

  public static final String SCHEMA = "message";

  /** Rooms whose membership one instance keeps; a room's entry is a few hundred bytes. */
  static final int MEMBERSHIP_CACHE_ROOMS = 10_000;

  /**
   * How long a cached membership is used before it is fetched again, whether or not an invalidation
   * arrived: the bound on how long a lost "membership changed" message lets a removed member send and
   * sync. 30 s keeps that window short while a hot room costs one room-service request per 30 s per
   * instance.
   */
  static final Duration MEMBERSHIP_CACHE_TTL = Duration.ofSeconds(30);

  /**
   * How long a (device, request id) is remembered for retries. A client retries within seconds or
   * minutes; a week covers a device that was offline over a weekend with a send still pending.
   */
  static final Duration REQUEST_RETENTION = Duration.ofDays(7);

  private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

  private MembershipCache memberships;
  private Fanout fanout;
  private final RoomSequencer sequencer = new RoomSequencer();
  private long purgeTimer = -1;

  public MessageVerticle(ParleyConfig config) {
    super(config);
  }

  @Override
  protected String schema() {
    return SCHEMA;
  }

  @Override
  protected Future<Void> prepare(ServiceResources resources) {
    memberships = new MembershipCache(vertx, new BusClient(vertx, BusTimeouts.from(config)), MEMBERSHIP_CACHE_ROOMS, MEMBERSHIP_CACHE_TTL);
    // One fan-out for every handler: it keeps each room's pushes in order.
    fanout = new Fanout(vertx, new Presence(resources.redis()));
    EventStore events = new EventStore(resources.pool());
    // Every replica purges; the delete is idempotent and cheap on the created_at index.
    purgeTimer = vertx.setPeriodic(PURGE_INTERVAL.toMillis(), id -> events.purgeRequestsOlderThan(REQUEST_RETENTION)
        .onSuccess(count -> log.debug("purged {} old request records", count))
        .onFailure(failure -> log.warn("request purge failed: {}", failure.getMessage())));
    return memberships.listen();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(purgeTimer);
    return super.stop();
  }

  @Override
  protected Map<String, RequestHandler> handlers(ServiceResources resources) {
    EventStore events = new EventStore(resources.pool());
    RoomAccess access = new RoomAccess(memberships);
    Map<String, RequestHandler> handlers = new LinkedHashMap<>();
    handlers.put(Addresses.MESSAGE_CHAT_ACTION, new ChatActionHandler(events, access, fanout, sequencer));
    handlers.put(Addresses.MESSAGE_SYNC, new SyncHandler(events, access));
    handlers.put(Addresses.MESSAGE_READ_RECEIPT, new ReadReceiptHandler(events, access, fanout));
    return handlers;
  }

  @Override
  protected Map<String, InternalHandler> internalHandlers(ServiceResources resources) {
    EventStore events = new EventStore(resources.pool());
    return Map.of(
        Addresses.MESSAGE_ROOM_STATS, new RoomStatsHandler(events),
        Addresses.MESSAGE_FORGET_SENDER, request -> events.forgetSender(request.getString("user")).map(erased -> new JsonObject().put("events", erased)));
  }

  @Override
  protected Map<String, RecordHandler<?, ?>> recordHandlers(ServiceResources resources) {
    return Map.of(
        Addresses.MESSAGE_APPEND_ROOM_EVENT, new AppendRoomEventHandler(new EventStore(resources.pool()), memberships, fanout, sequencer));
  }
}
