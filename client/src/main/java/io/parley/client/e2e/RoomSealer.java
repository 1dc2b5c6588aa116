package io.parley.client.e2e;

import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final HistoryKeys history;

  RoomSealer(MessageCrypto crypto, KeyDirectory directory, HistoryKeys history) {
    this.crypto = crypto;
    this.directory = directory;
    this.history = history;
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

  /** The sealed content an event carries and what it is bound to. */
  private record SealedPart(SealContext context, String content) {}

  /**
   * The event as the app sees it: the sealed content it carries, opened and its sender checked. An
   * event not sealed for this device opens with a content key a linked device shared, if there is one.
   */
  Future<ChatEvent> open(RoomEvent event) {
    SealedPart part;
    try {
      part = sealedPart(event);
    } catch (E2eException e) {
      return Future.succeededFuture(new ChatEvent(event, Decrypted.undecryptable(e.getMessage())));
    }
    if (part == null) {
      boolean sealedKind = event.kind() == RoomEventKind.MESSAGE_SENT || event.kind() == RoomEventKind.MESSAGE_EDITED;
      return Future.succeededFuture(new ChatEvent(event, sealedKind ? Decrypted.deleted() : null));
    }
    if (event.data().getBoolean("deleted", false)) {
      return Future.succeededFuture(new ChatEvent(event, Decrypted.deleted()));
    }
    return directory.senderKey(event).map(key -> {
      Decrypted opened = crypto.open(part.context(), event.senderDevice(), part.content(), key);
      if (opened.status() == Decrypted.Status.NOT_FOR_THIS_DEVICE) {
        opened = history.keyOf(event.id())
            .map(shared -> crypto.openWithSharedKey(part.context(), event.senderDevice(), part.content(), shared, key))
            .orElse(opened);
      }
      return new ChatEvent(event, opened);
    });
  }

  /**
   * The content keys of the events in {@code events} that this device can read with a verified sender
   * (its own wrap, or a key shared with it earlier), by event id: what a linked device is given.
   */
  Future<Map<UUID, byte[]>> contentKeys(List<RoomEvent> events) {
    return openAll(events).map(opened -> {
      Map<UUID, byte[]> keys = new LinkedHashMap<>();
      for (ChatEvent event : opened) {
        if (event.content() == null || event.content().status() != Decrypted.Status.OK) {
          continue;
        }
        SealedPart part;
        try {
          part = sealedPart(event.event());
        } catch (E2eException e) {
          continue;
        }
        UUID id = event.event().id();
        crypto.contentKey(part.context(), event.event().senderDevice(), part.content())
            .or(() -> history.keyOf(id))
            .ifPresent(key -> keys.put(id, key));
      }
      return keys;
    });
  }

  /** Null for an event that carries no sealed content (a delete without reason, an erased message, a room event). */
  private static SealedPart sealedPart(RoomEvent event) throws E2eException {
    JsonObject data = event.data();
    String content = switch (event.kind()) {
      case MESSAGE_SENT, MESSAGE_EDITED -> data.getString("content");
      case MESSAGE_DELETED -> data.getString("reason");
      default -> null;
    };
    if (content == null) {
      return null;
    }
    SealContext context = switch (event.kind()) {
      case MESSAGE_EDITED -> SealContext.edit(event.room(), target(data), event.sender());
      case MESSAGE_DELETED -> SealContext.deleteReason(event.room(), target(data), event.sender());
      default -> SealContext.message(event.room(), event.sender());
    };
    return new SealedPart(context, content);
  }

  private static UUID target(JsonObject data) throws E2eException {
    UUID target = uuidOrNull(data.getString("msg"));
    if (target == null) {
      throw new E2eException("the event names no message");
    }
    return target;
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
