package io.parley.client.e2e;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a chat keeps on disk between runs — the session, the per-room cursors and the key pins — in
 * its {@link ChatHome} (files holding secrets or trust decisions are written mode 600, atomically).
 * Reads happen once, in {@link #open}; writes are queued one after another on a worker thread, and a
 * write requested while an earlier one of the same file is still waiting is merged into it (a burst
 * of delivered events costs one cursor write, with the latest positions).
 *
 * <p>Everything but {@link #open}, {@link #session()} and {@link #home()} runs on the chat's context.
 */
final class StateStore {
  private final ChatContext context;
  private final ChatHome home;
  private final HistoryKeys historyKeys;
  private final KeyPins pins;
  private final Map<UUID, ChatHome.Cursor> cursors;
  /** Written on the context only; volatile so that {@code ParleyChat.user()} may read it anywhere. */
  private volatile ChatHome.Session session;
  private Future<Void> writes = Future.succeededFuture();
  private boolean cursorWriteQueued;
  private boolean pinsWriteQueued;

  private StateStore(
      ChatContext context, ChatHome home, KeyPins pins, HistoryKeys historyKeys, Map<UUID, ChatHome.Cursor> cursors, ChatHome.Session session) {
    this.historyKeys = historyKeys;
    this.context = context;
    this.home = home;
    this.pins = pins;
    this.cursors = cursors;
    this.session = session;
  }

  /**
   * Blocking: opens (or creates) the state directory. A session saved for another server is not
   * used, and neither are the cursors, which belong to that server's rooms.
   */
  static StateStore open(ChatContext context, Path dir, String server) throws IOException {
    ChatHome home = ChatHome.open(dir);
    KeyPins pins = KeyPins.load(home.deviceKeysFile());
    Optional<ChatHome.Session> session = home.loadSession().filter(s -> s.server().equals(server));
    Map<UUID, ChatHome.Cursor> cursors = new HashMap<>(session.isPresent() ? home.loadCursors() : Map.of());
    return new StateStore(context, home, pins, HistoryKeys.load(dir), cursors, session.orElse(null));
  }

  ChatHome home() {
    return home;
  }

  KeyPins pins() {
    return pins;
  }

  /** The content keys another device shared when this one was linked. */
  HistoryKeys historyKeys() {
    return historyKeys;
  }

  /** Adds shared content keys and queues the write; completes when they are on disk. */
  Future<Void> addHistoryKeys(Map<UUID, byte[]> keys) {
    Map<UUID, byte[]> snapshot = historyKeys.add(keys);
    return enqueue(() -> historyKeys.save(snapshot));
  }

  Optional<ChatHome.Session> session() {
    return Optional.ofNullable(session);
  }

  /** The cursors read at start, for the timeline to resume from. */
  Map<UUID, ChatHome.Cursor> savedCursors() {
    return Map.copyOf(cursors);
  }

  /** Keeps {@code saved} (null forgets the session); completes once the file says so. */
  Future<Void> saveSession(ChatHome.Session saved) {
    session = saved;
    return enqueue(() -> home.saveSession(saved));
  }

  /** Records that a room's events were delivered up to {@code cursor}, and queues the write. */
  void cursorMoved(UUID room, ChatHome.Cursor cursor) {
    cursors.put(room, cursor);
    if (cursorWriteQueued) {
      return;
    }
    cursorWriteQueued = true;
    writes = writes.transform(ignored -> {
      // Taken when the write starts, on the context: it holds every move made while it waited.
      cursorWriteQueued = false;
      Map<UUID, ChatHome.Cursor> snapshot = Map.copyOf(cursors);
      return context.blocking(() -> home.saveCursors(snapshot));
    });
  }

  /** Queues a write of the pins; completes when the pins as they are now are on disk. */
  Future<Void> savePins() {
    if (!pinsWriteQueued) {
      pinsWriteQueued = true;
      writes = writes.transform(ignored -> {
        pinsWriteQueued = false;
        return context.blocking(pins::save);
      });
    }
    return writes;
  }

  /** Completes when every write queued so far is done; fails when the last of them failed. */
  Future<Void> flush() {
    return writes;
  }

  private Future<Void> enqueue(ChatContext.IoAction action) {
    Future<Void> write = writes.transform(ignored -> context.blocking(action));
    writes = write;
    return write;
  }
}
