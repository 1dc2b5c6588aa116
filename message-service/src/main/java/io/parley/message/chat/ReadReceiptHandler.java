package io.parley.message.chat;

import io.parley.message.delivery.Fanout;
import io.parley.message.store.EventStore;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.ReadReceipt;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * READ_RECEIPT {room, msg} → STATUS RECEIPT_OK: moves the member's read pointer forward to that
 * event (it feeds ROOM_LIST's unread counts) and pushes READ_RECEIPT {room, msg, user, seq} to the
 * room's other devices. Receipts are not log events: they change no content and would otherwise
 * double the log of a busy room.
 */
public final class ReadReceiptHandler implements RequestHandler {
  private final EventStore events;
  private final RoomAccess access;
  private final Fanout fanout;

  public ReadReceiptHandler(EventStore events, RoomAccess access, Fanout fanout) {
    this.events = events;
    this.access = access;
    this.fanout = fanout;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    ReadReceipt receipt = request.packet(ReadReceipt.class);
    UUID device = UUID.fromString(request.device());
    return access.requireMember(receipt.room(), request.user()).compose(room -> events.seqOf(receipt.room(), receipt.msg())
        .compose(seq -> seq.isEmpty()
            ? Future.failedFuture(new BadPacketException("msg", "no such event in this room"))
            : events.markRead(receipt.room(), request.user(), seq.get()).map(stored -> {
                JsonObject pushed = new JsonObject()
                    .put("room", receipt.room().toString())
                    .put("msg", receipt.msg().toString())
                    .put("user", request.user())
                    .put("seq", seq.get());
                fanout.pushPacket(Envelope.of(PacketType.READ_RECEIPT, pushed), room.members().keySet(), device);
                return BusReply.of(Envelope.status(StatusCode.RECEIPT_OK));
              })));
  }
}
