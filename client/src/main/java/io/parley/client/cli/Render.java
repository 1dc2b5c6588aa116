package io.parley.client.cli;

import io.parley.client.e2e.ChatEvent;
import io.parley.client.e2e.Decrypted;
import io.parley.client.e2e.RoomSummary;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How the terminal shows rooms and events: one line each, plain text (no colours, scripts parse it). */
final class Render {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
  private static final int EXCERPT_CHARS = 40;

  private Render() {}

  static String room(int index, RoomSummary room) {
    return String.format("%3d  %-24s %-7s %3d members  %3d unread  %s",
        index, room.name(), room.typeName(), room.members(), room.unread(), room.room());
  }

  /** {@code createHint}: how to make a room in the mode the person is in. */
  static void rooms(List<RoomSummary> rooms, PrintStream out, String createHint) {
    if (rooms.isEmpty()) {
      out.println("no rooms yet: " + createHint);
    }
    for (int i = 0; i < rooms.size(); i++) {
      out.println(room(i + 1, rooms.get(i)));
    }
  }

  /** Time and who: the start of every event line. */
  static String prefix(ChatEvent e) {
    return TIME.format(e.event().at()) + " " + e.sender();
  }

  /**
   * A message, numbered by its sequence number (what /edit, /delete and /pin take); with {@code
   * edit}, the edited text in its place.
   */
  static String message(ChatEvent message, ChatEvent edit) {
    String time = TIME.format(message.event().at());
    String text = message.event().data().getBoolean("account_deleted", false) ? "[message of a deleted account]"
        : edit == null || isDeleted(message) ? text(message.content())
        : text(edit.content()) + " (edited)";
    return time + " [" + message.seq() + "] " + message.sender() + ": " + text;
  }

  /** Events that are not about one message. */
  static String event(ChatEvent e) {
    String time = TIME.format(e.event().at());
    String who = e.sender();
    return switch (e.kind()) {
      case MESSAGE_SENT -> message(e, null);
      case MESSAGE_EDITED -> time + " " + who + " edited a message: " + text(e.content());
      case MESSAGE_DELETED -> time + " " + who + " deleted a message" + (e.content() == null ? "" : " (reason: " + text(e.content()) + ")");
      case MESSAGE_PINNED -> time + " " + who + " pinned a message";
      case KEY_SAVED -> time + " " + who + " published a device key";
      case ROOM_CREATED -> time + " " + who + " created the room";
      case ROOM_RENAMED -> time + " " + who + " renamed the room to " + e.event().data().getString("name");
      case ROOM_DELETED -> time + " " + who + " deleted the room";
      case MEMBER_ADDED -> time + " " + who + " added " + e.event().data().getString("user");
      case MEMBER_REMOVED -> time + " " + who + " removed " + e.event().data().getString("user");
      case MEMBER_LEFT -> time + " " + e.event().data().getString("user")
          + (e.event().data().getBoolean("account_deleted", false) ? " deleted their account" : " left");
      case MEMBER_PROMOTED, MEMBER_DEMOTED ->
          time + " " + who + " made " + e.event().data().getString("user") + " " + e.event().data().getString("role");
    };
  }

  static String text(Decrypted content) {
    return content == null ? "" : content.display();
  }

  /** A moment as the local time of day, as event lines show it. */
  static String clock(java.time.Instant at) {
    return TIME.format(at);
  }

  static String excerpt(String text) {
    return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS - 1) + "…";
  }

  private static boolean isDeleted(ChatEvent message) {
    return message.content() != null && message.content().status() == Decrypted.Status.DELETED;
  }

  /** A proof-of-work progress bar, e.g. {@code [##########..........]  50%}. */
  static String progress(long done, long expected) {
    int width = 30;
    double fraction = Math.min(1.0, expected <= 0 ? 1.0 : (double) done / expected);
    int filled = (int) Math.round(fraction * width);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + String.format("%3d%%", (int) Math.round(fraction * 100));
  }
}
