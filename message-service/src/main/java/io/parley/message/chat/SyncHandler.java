package io.parley.message.chat;

import io.parley.message.store.EventStore;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.packet.SyncRoomReq;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * SYNC_ROOM_REQ → SYNC_ROOM_DATA {room, events, more}: the same event objects live pushes carry, in
 * sequence order. {@code from} null: the latest {@code count}. Direction "after" (default): the events
 * after {@code from}, for catching up; "before": the {@code count} events before it, for scrollback.
 * {@code more} says whether the log continues past the page in the direction asked.
 */
public final class SyncHandler implements RequestHandler {
  /**
   * A reply must fit one frame (1 MiB by default) with room for the envelope and the record's tag:
   * a page stops early, with more = true, once its events reach this many bytes of JSON.
   */
  static final int MAX_PAGE_BYTES = 768 * 1024;

  private final EventStore events;
  private final RoomAccess access;

  public SyncHandler(EventStore events, RoomAccess access) {
    this.events = events;
    this.access = access;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    SyncRoomReq sync = request.packet(SyncRoomReq.class);
    UUID room = sync.room();
    // One more than asked tells whether the log continues.
    int probe = sync.count() + 1;
    return access.requireMember(room, request.user()).compose(membership -> {
      if (sync.from() == null) {
        return events.eventsBefore(room, Long.MAX_VALUE, probe).map(page -> reply(room, page, sync.count(), true));
      }
      return events.seqOf(room, sync.from()).compose(seq -> {
        if (seq.isEmpty()) {
          return Future.failedFuture(new BadPacketException("from", "no such event in this room"));
        }
        return sync.direction() == SyncRoomReq.Direction.BEFORE
            ? events.eventsBefore(room, seq.get(), probe).map(page -> reply(room, page, sync.count(), true))
            : events.eventsAfter(room, seq.get(), probe).map(page -> reply(room, page, sync.count(), false));
      });
    });
  }

  /**
   * @param page up to count + 1 events, oldest first
   * @param backwards true when the page extends into the past (its extra event is the oldest one)
   */
  static BusReply reply(UUID room, List<RoomEvent> page, int count, boolean backwards) {
    boolean more = page.size() > count;
    List<RoomEvent> shown = !more ? page : backwards ? page.subList(1, page.size()) : page.subList(0, count);
    JsonArray list = new JsonArray();
    int bytes = 0;
    if (backwards) {
      // Keep the newest events when the byte budget cuts a backward page.
      int start = shown.size();
      while (start > 0) {
        JsonObject event = shown.get(start - 1).toJson();
        bytes += event.encode().length();
        if (bytes > MAX_PAGE_BYTES && start < shown.size()) {
          more = true;
          break;
        }
        start--;
      }
      shown.subList(start, shown.size()).forEach(event -> list.add(event.toJson()));
    } else {
      for (RoomEvent event : shown) {
        JsonObject json = event.toJson();
        bytes += json.encode().length();
        if (bytes > MAX_PAGE_BYTES && !list.isEmpty()) {
          more = true;
          break;
        }
        list.add(json);
      }
    }
    JsonObject data = new JsonObject().put("room", room.toString()).put("events", list).put("more", more);
    return BusReply.of(Envelope.of(PacketType.SYNC_ROOM_DATA, data));
  }
}
