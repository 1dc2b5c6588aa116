package io.parley.message.chat;

import io.parley.message.delivery.Fanout;
import io.parley.message.log.RoomSequencer;
import io.parley.message.store.EventStore;
import io.parley.message.store.EventStore.MessageRef;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.crypto.ChatKeys;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.ChatAction;
import io.parley.shared.protocol.packet.MessageFormat;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.parley.shared.room.RoomMembership;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * CHAT_ACTION: send, edit, delete, pin, save-pubkey. Each checks membership (cached) and the
 * action's rule, appends one event (exactly once per user, device and request id), pushes the event
 * to the room's other devices — again on every retry, since the first try's push may have been
 * lost — and answers STATUS MSG_OK {event, seq} once the push has been handed to the bus.
 */
public final class ChatActionHandler implements RequestHandler {
  /** No further work in the append's transaction. */
  private static final Function<SqlConnection, Future<Void>> NOTHING_ELSE = null;

  private final EventStore events;
  private final RoomAccess access;
  private final Fanout fanout;
  private final RoomSequencer sequencer;

  public ChatActionHandler(EventStore events, RoomAccess access, Fanout fanout, RoomSequencer sequencer) {
    this.events = events;
    this.access = access;
    this.fanout = fanout;
    this.sequencer = sequencer;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    ChatAction packet = request.packet(ChatAction.class);
    UUID device = UUID.fromString(request.device());
    String requestId = request.requestId();
    return access
        .requireMember(packet.room(), request.user())
        .compose(room -> {
          // A retried edit, delete or pin returns its first result before any rule is checked again:
          // the message it deleted is gone by now, and that must not turn the retry into an error.
          // A send needs no such look-up (its append is idempotent by itself), so it stays one round trip.
          boolean lookUpFirst = requestId != null && !(packet.action() instanceof ChatAction.Send);
          Future<Optional<RoomEvent>> prior =
              lookUpFirst ? events.priorResult(request.user(), device, requestId) : Future.succeededFuture(Optional.empty());
          // The push starts inside the room's turn (pushes leave in sequence order), but the reply
          // waits for it outside, so the room's next append does not wait for a presence look-up.
          return prior.compose(earlier -> earlier.isPresent()
              ? push(earlier.get(), room, device)
              : sequencer.inOrder(room.room(), () -> act(room, packet.action(), request.user(), device, requestId)
                  .map(appended -> push(appended.event(), room, device))).compose(reply -> reply));
        });
  }

  /**
   * Pushes the event and answers its MSG_OK once the push is on the bus, a retry's stored event
   * included.
   *
   * <p>Push first, answer second: a replica killed after it answered but before its push left took
   * the push with it, and nobody retries an answered request (issue 13: pushes of the last ~2 s
   * before a kill were found only by a sync). Answering after the hand-off costs the sender the
   * presence look-up (well under a millisecond; at most {@link Fanout#LOOKUP_TIMEOUT} while Redis
   * stalls) and leaves only the bus's own in-flight bytes to a kill. A push that fails still answers
   * MSG_OK: the event is committed, and a sync finds it.
   *
   * <p>A retry usually means the first try's answer was lost, and its push may have been lost with
   * it (the gateway retries a CHAT_ACTION on another replica when the first is slow or was killed),
   * so a retry pushes again. That costs a duplicate where the first push did arrive, which receivers
   * drop by room and seq (docs/protocol.md, "ROOM_EVENT").
   */
  private Future<BusReply> push(RoomEvent event, RoomMembership room, UUID device) {
    return fanout.push(event, room.members().keySet(), device).transform(pushed -> Future.succeededFuture(msgOk(event)));
  }

  private static BusReply msgOk(RoomEvent event) {
    Envelope ok = Envelope.status(StatusCode.MSG_OK);
    ok.data().put("event", event.id().toString()).put("seq", event.seq());
    return BusReply.of(ok);
  }

  private Future<EventStore.Appended> act(RoomMembership room, ChatAction.Action action, String user, UUID device, String requestId) {
    Role role = room.roleOf(user).orElseThrow();
    if (action instanceof ChatAction.Send send) {
      return send(room, role, send, user, device, requestId);
    }
    if (action instanceof ChatAction.Edit edit) {
      return existing(room.room(), edit.msg()).compose(target -> {
        if (!target.sender().equals(user)) {
          return Future.failedFuture(new StatusException(StatusCode.FORBIDDEN, "only the sender may edit a message"));
        }
        return append(room, RoomEventKind.MESSAGE_EDITED, user, device, requestId,
            new JsonObject().put("msg", edit.msg().toString()).put("content", edit.content()), edit.msg(), NOTHING_ELSE);
      });
    }
    if (action instanceof ChatAction.Delete delete) {
      return existing(room.room(), delete.msg()).compose(target -> {
        if (!target.sender().equals(user) && !role.manages()) {
          return Future.failedFuture(new StatusException(StatusCode.FORBIDDEN, "only the sender or an owner or admin may delete a message"));
        }
        JsonObject data = new JsonObject().put("msg", delete.msg().toString());
        if (delete.reason() != null) {
          data.put("reason", delete.reason());
        }
        return append(room, RoomEventKind.MESSAGE_DELETED, user, device, requestId, data, delete.msg(),
            tx -> EventStore.eraseContent(tx, room.room(), delete.msg()));
      });
    }
    if (action instanceof ChatAction.Pin pin) {
      if (room.type() == RoomType.CHANNEL && !role.manages()) {
        return Future.failedFuture(new StatusException(StatusCode.FORBIDDEN, "only owners and admins pin in a channel"));
      }
      return existing(room.room(), pin.msg()).compose(target -> append(room, RoomEventKind.MESSAGE_PINNED, user, device, requestId,
          new JsonObject().put("msg", pin.msg().toString()), pin.msg(), NOTHING_ELSE));
    }
    ChatAction.SavePubkey key = (ChatAction.SavePubkey) action;
    return append(room, RoomEventKind.KEY_SAVED, user, device, requestId,
        new JsonObject().put("device", device.toString()).put("chat_pubkey", ChatKeys.canonicalX25519(key.chatPubkey(), "actiondata")), null, NOTHING_ELSE);
  }

  private Future<EventStore.Appended> send(RoomMembership room, Role role, ChatAction.Send send, String user, UUID device, String requestId) {
    if (send.format() != MessageFormat.TEXT) {
      return Future.failedFuture(new StatusException(
          StatusCode.UNSUPPORTED_FORMAT, "actiondata.format: " + send.format().wireName() + " is not supported yet; send msg-text"));
    }
    if (room.type() == RoomType.CHANNEL && !role.manages()) {
      return Future.failedFuture(new StatusException(StatusCode.FORBIDDEN, "only owners and admins post in a channel"));
    }
    return append(room, RoomEventKind.MESSAGE_SENT, user, device, requestId,
        new JsonObject().put("format", send.format().wireName()).put("content", send.content()), null, NOTHING_ELSE);
  }

  private Future<EventStore.Appended> append(
      RoomMembership room, RoomEventKind kind, String user, UUID device, String requestId, JsonObject data, UUID target,
      Function<SqlConnection, Future<Void>> alsoInTransaction) {
    return events.appendOnce(new EventStore.Draft(room.room(), kind, user, device, data, target), requestId, alsoInTransaction);
  }

  /** The target message, which must be a message of this room that was not deleted. */
  private Future<MessageRef> existing(UUID room, UUID msg) {
    return events.findMessage(room, msg).compose(found -> found.filter(ref -> !ref.deleted()).isPresent()
        ? Future.succeededFuture(found.get())
        : Future.failedFuture(new StatusException(StatusCode.MESSAGE_NOT_FOUND, "actiondata.msg: no such message in this room, or it was deleted")));
  }

}
