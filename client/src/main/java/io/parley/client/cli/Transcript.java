package io.parley.client.cli;

import io.parley.client.e2e.ChatEvent;
import io.parley.shared.events.RoomEventKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What a person sees of one room: messages numbered by their sequence number in the room (the same
 * number on every device, in every listing and in both modes), an edit shown as the message's new
 * text, and edits, deletes and pins that say which message they are about. It remembers the messages
 * it has shown, so a live notice can name and quote its message.
 */
final class Transcript {
  private final Map<UUID, Shown> byId = new LinkedHashMap<>();
  private final Map<Long, UUID> bySeq = new LinkedHashMap<>();

  /** A message as last shown: its number and its (possibly edited) text. */
  private record Shown(long seq, String text) {}

  /** A page of history, oldest first: each message with its latest edit; edit events fold into it. */
  synchronized List<String> page(List<ChatEvent> events) {
    Map<UUID, ChatEvent> latestEdit = new LinkedHashMap<>();
    for (ChatEvent e : events) {
      if (e.kind() == RoomEventKind.MESSAGE_EDITED) {
        e.target().ifPresent(target -> latestEdit.put(target, e));
      }
    }
    List<String> lines = new ArrayList<>();
    for (ChatEvent e : events) {
      if (e.kind() == RoomEventKind.MESSAGE_SENT) {
        ChatEvent edit = latestEdit.get(e.id());
        lines.add(Render.message(e, edit));
        remember(e, edit);
      } else if (e.kind() == RoomEventKind.MESSAGE_EDITED && e.target().map(byId::containsKey).orElse(false)) {
        continue; // shown as its message's text
      } else {
        lines.add(line(e));
      }
    }
    return lines;
  }

  /** One event as it arrives live. */
  synchronized String live(ChatEvent e) {
    if (e.kind() == RoomEventKind.MESSAGE_SENT) {
      remember(e, null);
      return Render.message(e, null);
    }
    String line = line(e);
    if (e.kind() == RoomEventKind.MESSAGE_EDITED) {
      e.target().filter(byId::containsKey).ifPresent(target -> byId.put(target, new Shown(byId.get(target).seq(), Render.text(e.content()))));
    }
    return line;
  }

  /** The message shown as {@code [seq]}, if this transcript has shown it. */
  synchronized Optional<UUID> message(long seq) {
    return Optional.ofNullable(bySeq.get(seq));
  }

  /** The pinned messages among {@code events}, each once, with their latest text. */
  List<String> pins(List<ChatEvent> events) {
    page(events);
    List<String> lines = new ArrayList<>();
    java.util.Set<UUID> listed = new java.util.HashSet<>();
    for (ChatEvent e : events) {
      if (e.kind() == RoomEventKind.MESSAGE_PINNED) {
        e.target().filter(listed::add).ifPresent(target -> lines.add(quote(target) + "  (pinned by " + e.sender() + ")"));
      }
    }
    return lines;
  }

  /** The message with sequence number {@code seq} among {@code events}. */
  static Optional<UUID> find(List<ChatEvent> events, long seq) {
    return events.stream().filter(e -> e.kind() == RoomEventKind.MESSAGE_SENT && e.seq() == seq).map(ChatEvent::id).findFirst();
  }

  private String line(ChatEvent e) {
    return switch (e.kind()) {
      case MESSAGE_EDITED -> Render.prefix(e) + " edited " + e.target().map(this::number).orElse("a message") + ": " + Render.text(e.content());
      case MESSAGE_DELETED -> Render.prefix(e) + " deleted " + e.target().map(this::number).orElse("a message")
          + (e.content() == null ? "" : " (reason: " + Render.text(e.content()) + ")");
      case MESSAGE_PINNED -> Render.prefix(e) + " pinned " + e.target().map(this::quote).orElse("a message");
      default -> Render.event(e);
    };
  }

  private void remember(ChatEvent message, ChatEvent edit) {
    byId.put(message.id(), new Shown(message.seq(), Render.text(edit != null ? edit.content() : message.content())));
    bySeq.put(message.seq(), message.id());
  }

  private String number(UUID message) {
    Shown shown = byId.get(message);
    return shown == null ? "an earlier message" : "[" + shown.seq() + "]";
  }

  private String quote(UUID message) {
    Shown shown = byId.get(message);
    return shown == null ? "an earlier message" : "[" + shown.seq() + "] \"" + Render.excerpt(shown.text()) + "\"";
  }
}
