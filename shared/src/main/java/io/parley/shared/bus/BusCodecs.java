package io.parley.shared.bus;

import io.parley.shared.events.AppendRoomEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The message codecs of the bus records, registered once per Vert.x instance. Whatever sends or
 * serves them registers them first ({@link BusClient}, {@link ServiceEndpoint}), so no process can
 * send a record its bus cannot encode or receive one from the cluster it cannot decode; a process
 * that only relays nothing registers nothing.
 *
 * <p>Why records and not JSON: in one process (standalone, and every service beside its gateway in a
 * pod) a request and its reply were each turned into JSON, deep-copied by the JSON codec and parsed
 * back; now the record object itself is handed over. Records are immutable; the {@code JsonObject}s
 * they carry (a packet's data) are built for the message and never changed after it is sent.
 */
public final class BusCodecs {
  static final RecordCodec<BusRequest> REQUEST = new RecordCodec<>("parley.bus-request", BusRequest::toJson, BusRequest::fromJson);
  static final RecordCodec<BusReply> REPLY = new RecordCodec<>("parley.bus-reply", BusReply::toJson, BusReply::fromJson);
  static final RecordCodec<AppendRoomEvent> APPEND_ROOM_EVENT =
      new RecordCodec<>("parley.append-room-event", AppendRoomEvent::toJson, AppendRoomEvent::fromJson);

  private static final Set<Vertx> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

  private BusCodecs() {}

  public static synchronized void register(Vertx vertx) {
    if (!REGISTERED.add(vertx)) {
      return;
    }
    EventBus bus = vertx.eventBus();
    bus.registerDefaultCodec(BusRequest.class, REQUEST);
    bus.registerDefaultCodec(BusReply.class, REPLY);
    bus.registerDefaultCodec(AppendRoomEvent.class, APPEND_ROOM_EVENT);
  }
}
