package io.parley.client.e2e;

import io.parley.shared.events.RoomEventKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * What a sealed message is bound to besides its own bytes: the room, the kind of event it travels in
 * (a message, an edit, a delete reason), the message an edit or delete targets, and the sending user.
 * Both sides rebuild it from the event the server delivers, so a server that moves a ciphertext to
 * another room, turns a message into an edit, points an edit at another message or relabels the
 * sender makes it undecryptable.
 */
public record SealContext(UUID room, RoomEventKind kind, UUID target, String senderUser) {
  private static final UUID NONE = new UUID(0, 0);

  public SealContext {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(senderUser, "senderUser");
  }

  public static SealContext message(UUID room, String sender) {
    return new SealContext(room, RoomEventKind.MESSAGE_SENT, null, sender);
  }

  public static SealContext edit(UUID room, UUID msg, String sender) {
    return new SealContext(room, RoomEventKind.MESSAGE_EDITED, msg, sender);
  }

  public static SealContext deleteReason(UUID room, UUID msg, String sender) {
    return new SealContext(room, RoomEventKind.MESSAGE_DELETED, msg, sender);
  }

  /** label ‖ room ‖ len‖kind ‖ target (zeros for none) ‖ len‖sender, lengths as 2 bytes big-endian. */
  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    SealedMessage.lengthPrefixed(out, Primitives.ascii("parley-e2e v1 context"));
    SealedMessage.uuid(out, room);
    SealedMessage.lengthPrefixed(out, Primitives.ascii(kind.wire()));
    SealedMessage.uuid(out, target == null ? NONE : target);
    SealedMessage.lengthPrefixed(out, senderUser.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
