package io.parley.client.e2e;

import io.parley.client.Messages;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.protocol.Limits;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-room ordered, exactly-once delivery (docs/e2e.md §6). Each room has a cursor (the seq and id of
 * the last event delivered) and a chain of steps that run one after another: a live event, or a
 * catch-up through SYNC_ROOM_REQ. An event at or below the cursor is dropped (a duplicate, a push
 * racing a sync); an event that does not follow the cursor (a gap: a dropped push, a reconnect,
 * pushes crossing between message-service replicas) is fetched from the log together with everything
 * before it; a room seen for the first time starts with its latest {@link #FIRST_SIGHT_PAGE} events.
 *
 * <p>A step that fails (the connection dropped in the middle of a sync, an event that could not be
 * opened) leaves the cursor after the last event delivered, so the next catch-up — the supervisor
 * runs one after every resume — delivers the rest, none of it twice.
 *
 * <p>Runs on the chat's context: the per-room state is plain fields, and each step is chained on the
 * room's previous one instead of being guarded by a lock.
 */
final class RoomTimeline {
  private static final Logger log = LoggerFactory.getLogger(RoomTimeline.class);

  /**
   * Events per SYNC_ROOM_REQ page when catching up: as many as a request may ask for, because every
   * page is a round trip and the device wants all it missed anyway.
   */
  static final int SYNC_PAGE = Limits.SYNC_MAX_COUNT;
  /** Events delivered for a room the client has no cursor for. */
  static final int FIRST_SIGHT_PAGE = 50;

  /** The room's log: the events after {@code from} (null: the latest {@code count}), oldest first. */
  interface RoomLog {
    Future<Messages.Page> after(UUID room, UUID from, int count);
  }

  /** Turns a room's next event into what the app sees (opens its sealed content). */
  interface Opener {
    Future<ChatEvent> open(RoomEvent event);
  }

  /** Where a room's delivery has got to. */
  interface CursorSink {
    void moved(UUID room, ChatHome.Cursor cursor);
  }

  private static final class Room {
    long lastSeq;
    UUID lastEvent;
    Future<Void> tail = Future.succeededFuture();
  }

  private final Map<UUID, Room> rooms = new HashMap<>();
  private final RoomLog roomLog;
  private final Opener opener;
  private final Consumer<ChatEvent> listener;
  private final CursorSink cursors;

  /**
   * @param saved the cursors to resume from
   * @param listener gets each event once, in order; a listener that throws does not stop delivery
   */
  RoomTimeline(Map<UUID, ChatHome.Cursor> saved, RoomLog roomLog, Opener opener, Consumer<ChatEvent> listener, CursorSink cursors) {
    this.roomLog = roomLog;
    this.opener = opener;
    this.listener = listener;
    this.cursors = cursors;
    saved.forEach((id, cursor) -> {
      Room room = new Room();
      room.lastSeq = cursor.seq();
      room.lastEvent = cursor.event();
      rooms.put(id, room);
    });
  }

  /** A live event (a push, or this device's own acknowledged action); completes once it is handled. */
  Future<Void> accept(RoomEvent event) {
    Room room = room(event.room());
    return enqueue(room, () -> {
      if (event.seq() <= room.lastSeq) {
        return Future.succeededFuture();
      }
      if (follows(room, event)) {
        return deliver(event.room(), room, event);
      }
      // A gap, or a room with history seen for the first time: the log has the missing events and,
      // normally, this one; if the log does not have it yet, it is delivered once it follows.
      return catchUp(event.room(), room).compose(v -> follows(room, event) ? deliver(event.room(), room, event) : Future.succeededFuture());
    });
  }

  /** Catches one room up from its cursor, after every step already queued for it. */
  Future<Void> sync(UUID roomId) {
    Room room = room(roomId);
    return enqueue(room, () -> catchUp(roomId, room));
  }

  /** Catches every listed room up; completes when all are done, failed if any failed. */
  Future<Void> syncAll(List<UUID> roomIds) {
    List<Future<Void>> all = new ArrayList<>();
    for (UUID room : roomIds) {
      all.add(sync(room));
    }
    return Future.all(all).mapEmpty();
  }

  /** The room's cursor, or null before anything was delivered. */
  ChatHome.Cursor cursor(UUID roomId) {
    Room room = rooms.get(roomId);
    return room == null || room.lastEvent == null ? null : new ChatHome.Cursor(room.lastSeq, room.lastEvent);
  }

  private Room room(UUID roomId) {
    return rooms.computeIfAbsent(roomId, r -> new Room());
  }

  private static boolean follows(Room room, RoomEvent event) {
    return room.lastEvent == null ? event.seq() == 1 : event.seq() == room.lastSeq + 1;
  }

  private Future<Void> enqueue(Room room, Supplier<Future<Void>> step) {
    Future<Void> next = room.tail.transform(ignored -> {
      try {
        return step.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    });
    room.tail = next.recover(e -> {
      log.warn("a room delivery step failed; the next sync resumes from the cursor: {}", e.toString());
      return Future.succeededFuture();
    });
    return next;
  }

  /** Pages through the log after the cursor (or the latest page without one), delivering each event. */
  private Future<Void> catchUp(UUID roomId, Room room) {
    boolean firstSight = room.lastEvent == null;
    Future<Messages.Page> page = firstSight
        ? roomLog.after(roomId, null, FIRST_SIGHT_PAGE)
        : roomLog.after(roomId, room.lastEvent, SYNC_PAGE);
    return page.compose(p -> {
      Future<Void> chain = Future.succeededFuture();
      for (RoomEvent event : p.events()) {
        chain = chain.compose(v -> event.seq() <= room.lastSeq ? Future.succeededFuture() : deliver(roomId, room, event));
      }
      // For a first sight, "more" means older events, which are history rather than catching up.
      boolean more = !firstSight && p.more() && !p.events().isEmpty();
      return chain.compose(v -> more ? catchUp(roomId, room) : Future.succeededFuture());
    });
  }

  private Future<Void> deliver(UUID roomId, Room room, RoomEvent event) {
    return opener.open(event).map(chatEvent -> {
      room.lastSeq = event.seq();
      room.lastEvent = event.id();
      try {
        listener.accept(chatEvent);
      } catch (RuntimeException e) {
        log.warn("an event listener failed: {}", e.toString());
      }
      cursors.moved(roomId, new ChatHome.Cursor(room.lastSeq, room.lastEvent));
      return null;
    });
  }
}
