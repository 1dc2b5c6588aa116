package io.parley.client.e2e;

import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The end-to-end layer of a room (docs/e2e.md §2–§4): seals a text for the devices a fresh key
 * directory lists, and opens the sealed content an event carries against the key this client trusts
 * for its sending device. Runs on the chat's context.
 */
final class RoomSealer {
  /** A sealed content and who it was sealed for. */
  record Sealed(String content, int recipients, List<String> skipped) {}

  private final MessageCrypto crypto;
  private final KeyDirectory directory;

  RoomSealer(MessageCrypto crypto, KeyDirectory directory) {
    this.crypto = crypto;
    this.directory = directory;
  }

  /** Seals {@code text} for every device of the room's fresh directory whose key still matches its pin. */
  Future<Sealed> seal(UUID room, SealContext context, String text) {
    return directory.recipients(room, context.senderUser()).compose(recipients -> {
      try {
        String content = crypto.seal(context, text, recipients.devices());
        return Future.succeededFuture(new Sealed(content, recipients.devices().size(), recipients.skipped()));
      } catch (E2eException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** The event as the app sees it: the sealed content it carries, opened and its sender checked. */
  Future<ChatEvent> open(RoomEvent event) {
    JsonObject data = event.data();
    SealContext context;
    String content;
    switch (event.kind()) {
      case MESSAGE_SENT -> {
        context = SealContext.message(event.room(), event.sender());
        content = data.getString("content");
      }
      case MESSAGE_EDITED -> {
        context = SealContext.edit(event.room(), uuidOrNull(data.getString("msg")), event.sender());
        content = data.getString("content");
      }
      case MESSAGE_DELETED -> {
        context = SealContext.deleteReason(event.room(), uuidOrNull(data.getString("msg")), event.sender());
        content = data.getString("reason");
        if (content == null) {
          return Future.succeededFuture(new ChatEvent(event, null));
        }
      }
      default -> {
        return Future.succeededFuture(new ChatEvent(event, null));
      }
    }
    if (data.getBoolean("deleted", false) || content == null) {
      return Future.succeededFuture(new ChatEvent(event, Decrypted.deleted()));
    }
    if (context.target() == null && event.kind() != RoomEventKind.MESSAGE_SENT) {
      return Future.succeededFuture(new ChatEvent(event, Decrypted.undecryptable("the event names no message")));
    }
    return directory.senderKey(event).map(key -> new ChatEvent(event, crypto.open(context, event.senderDevice(), content, key)));
  }

  /** Opens a page of events (history), keeping their order. */
  Future<List<ChatEvent>> openAll(List<RoomEvent> events) {
    List<Future<ChatEvent>> opened = new ArrayList<>();
    for (RoomEvent event : events) {
      opened.add(open(event));
    }
    return Future.all(opened).map(all -> {
      List<ChatEvent> out = new ArrayList<>();
      for (int i = 0; i < opened.size(); i++) {
        out.add(all.resultAt(i));
      }
      return out;
    });
  }

  private static UUID uuidOrNull(String text) {
    try {
      return text == null ? null : UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
