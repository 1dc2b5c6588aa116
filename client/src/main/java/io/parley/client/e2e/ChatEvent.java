package io.parley.client.e2e;

import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import java.util.Optional;
import java.util.UUID;

/**
 * One room event as the app sees it: the server's event, and for the kinds that carry sealed content
 * (a message, an edit, a delete reason) what the end-to-end layer made of it.
 *
 * @param content null for events without sealed content (membership, pins, a delete without reason)
 */
public record ChatEvent(RoomEvent event, Decrypted content) {
  public UUID room() {
    return event.room();
  }

  public UUID id() {
    return event.id();
  }

  public long seq() {
    return event.seq();
  }

  public RoomEventKind kind() {
    return event.kind();
  }

  public String sender() {
    return event.sender();
  }

  /** The message an edit, delete or pin is about. */
  public Optional<UUID> target() {
    String msg = event.data().getString("msg");
    return msg == null ? Optional.empty() : Optional.of(UUID.fromString(msg));
  }

  /** The verified text of a message or edit, if it opened and its sender checked out. */
  public Optional<String> text() {
    return content == null ? Optional.empty() : content.textIfVerified();
  }
}
