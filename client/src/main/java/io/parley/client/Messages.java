package io.parley.client;

import io.parley.shared.events.RoomEvent;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.ChatAction;
import io.parley.shared.protocol.packet.MessageFormat;
import io.parley.shared.protocol.packet.ReadReceipt;
import io.parley.shared.protocol.packet.SyncRoomReq;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * A room's event log over one authenticated connection: CHAT_ACTION (send, edit, delete, pin,
 * save-pubkey), SYNC_ROOM_REQ, READ_RECEIPT, and live ROOM_EVENT pushes. Content is ciphertext the
 * caller produced (the end-to-end layer sits above this class); the server never sees plaintext.
 */
public final class Messages {
  private final ParleyConnection connection;

  public Messages(ParleyConnection connection) {
    this.connection = connection;
  }

  /** Where an acknowledged event landed in its room's log. */
  public record Ack(UUID event, long seq) {}

  /** A page of a room's log, oldest first; {@code more} when the log continues in the direction asked. */
  public record Page(UUID room, List<RoomEvent> events, boolean more) {}

  public Future<Ack> send(UUID room, String ciphertextBase64) {
    return act(room, new ChatAction.Send(MessageFormat.TEXT, ciphertextBase64), null);
  }

  /**
   * Sends with a request id of the caller's choosing: retrying with the same id after a timeout or a
   * lost connection stores the message once and returns the first acknowledgement.
   */
  public Future<Ack> send(UUID room, String ciphertextBase64, String requestId) {
    return act(room, new ChatAction.Send(MessageFormat.TEXT, ciphertextBase64), requestId);
  }

  public Future<Ack> edit(UUID room, UUID msg, String ciphertextBase64) {
    return act(room, new ChatAction.Edit(msg, ciphertextBase64), null);
  }

  /** Deletes a message; {@code reasonCiphertext} may be null. */
  public Future<Ack> delete(UUID room, UUID msg, String reasonCiphertext) {
    return act(room, new ChatAction.Delete(msg, reasonCiphertext), null);
  }

  public Future<Ack> pin(UUID room, UUID msg) {
    return act(room, new ChatAction.Pin(msg), null);
  }

  /** Publishes this device's chat public key into the room's key directory. */
  public Future<Ack> savePubkey(UUID room, String chatPublicKeyPem) {
    return act(room, new ChatAction.SavePubkey(chatPublicKeyPem), null);
  }

  private Future<Ack> act(UUID room, ChatAction.Action action, String requestId) {
    Envelope packet = new ChatAction(room, action).toEnvelope().withId(requestId);
    return connection.request(packet).compose(reply -> reply.statusCode().filter(StatusCode.MSG_OK::equals).isPresent()
        ? Future.succeededFuture(new Ack(UUID.fromString(reply.data().getString("event")), reply.data().getLong("seq")))
        : Future.failedFuture(new ParleyStatusException(reply)));
  }

  /** The events after {@code from} (null: the latest {@code count}), oldest first. */
  public Future<Page> syncAfter(UUID room, UUID from, int count) {
    return sync(new SyncRoomReq(room, count, from, SyncRoomReq.Direction.AFTER));
  }

  /** The {@code count} events before {@code from}, for scrollback, oldest first. */
  public Future<Page> syncBefore(UUID room, UUID from, int count) {
    return sync(new SyncRoomReq(room, count, from, SyncRoomReq.Direction.BEFORE));
  }

  private Future<Page> sync(SyncRoomReq request) {
    return connection.request(request.toEnvelope()).compose(reply -> {
      if (!reply.is(PacketType.SYNC_ROOM_DATA)) {
        return Future.failedFuture(new ParleyStatusException(reply));
      }
      JsonObject data = reply.data();
      List<RoomEvent> events = data.getJsonArray("events").stream().map(JsonObject.class::cast).map(RoomEvent::fromJson).toList();
      return Future.succeededFuture(new Page(UUID.fromString(data.getString("room")), events, data.getBoolean("more")));
    });
  }

  /** Marks everything up to {@code msg} as read (feeds unread counts; other members see a receipt). */
  public Future<Void> readReceipt(UUID room, UUID msg) {
    return connection.request(new ReadReceipt(room, msg).toEnvelope())
        .compose(reply -> reply.statusCode().filter(StatusCode.RECEIPT_OK::equals).isPresent()
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new ParleyStatusException(reply)));
  }

  /** Live room events for this connection's user, in the order the server sent them. */
  public Messages onEvent(Handler<RoomEvent> listener) {
    connection.onPush(packet -> {
      if (packet.is(PacketType.ROOM_EVENT)) {
        listener.handle(RoomEvent.fromJson(packet.data()));
      }
    });
    return this;
  }
}
