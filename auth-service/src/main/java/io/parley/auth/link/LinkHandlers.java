package io.parley.auth.link;

import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.LinkBlob;
import io.parley.shared.protocol.packet.LinkRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * LINK_REQUEST, LINK_PENDING, LINK_BLOB and LINK_FETCH (docs/protocol.md): the server's part in
 * linking a new device is a mailbox between two devices of one account. It checks who may write to
 * whom and how much, and never reads a blob: what it relays is sealed to the new device's chat key.
 */
public final class LinkHandlers {
  private final LinkStore store;

  public LinkHandlers(LinkStore store) {
    this.store = store;
  }

  /** LINK_REQUEST → STATUS LINK_REQUESTED; DEVICE_NOT_FOUND when this device registered no chat key. */
  public Future<BusReply> request(BusRequest request) {
    LinkRequest packet = request.packet(LinkRequest.class);
    return store.request(request.user(), device(request), packet.nonce()).compose(recorded -> recorded
        ? Future.succeededFuture(BusReply.of(Envelope.status(StatusCode.LINK_REQUESTED)))
        : Future.failedFuture(new StatusException(StatusCode.DEVICE_NOT_FOUND, "this device has registered no chat key (CHAT_ENCRYPT_C)")));
  }

  /** LINK_PENDING → LINK_PENDING {requests: [{device, chat_pubkey, nonce, expires}]}. */
  public Future<BusReply> pending(BusRequest request) {
    return store.pending(request.user()).map(requests -> {
      JsonArray list = new JsonArray();
      for (LinkStore.Request r : requests) {
        list.add(new JsonObject().put("device", r.device().toString()).put("chat_pubkey", r.chatPublicKeyPem())
            .put("nonce", r.nonce()).put("expires", r.expires().toString()));
      }
      return BusReply.of(Envelope.of(PacketType.LINK_PENDING, new JsonObject().put("requests", list)));
    });
  }

  /** LINK_BLOB → STATUS LINK_SENT, LINK_NOT_REQUESTED or LINK_FULL. */
  public Future<BusReply> blob(BusRequest request) {
    LinkBlob packet = request.packet(LinkBlob.class);
    return store.store(request.user(), device(request), packet.device(), packet.blob()).compose(stored -> switch (stored) {
      case SENT -> Future.succeededFuture(BusReply.of(Envelope.status(StatusCode.LINK_SENT)));
      case NOT_REQUESTED -> Future.failedFuture(new StatusException(StatusCode.LINK_NOT_REQUESTED,
          "device: no live link request from another device of this account"));
      case FULL -> Future.failedFuture(new StatusException(StatusCode.LINK_FULL, "device: its link request holds the most blobs allowed"));
    });
  }

  /** LINK_FETCH → LINK_FETCH {blobs: [{from, blob}]}. */
  public Future<BusReply> fetch(BusRequest request) {
    return store.blobsFor(request.user(), device(request)).map(blobs -> {
      JsonArray list = new JsonArray();
      for (LinkStore.Blob b : blobs) {
        list.add(new JsonObject().put("from", b.from().toString()).put("blob", b.blob()));
      }
      return BusReply.of(Envelope.of(PacketType.LINK_FETCH, new JsonObject().put("blobs", list)));
    });
  }

  private static UUID device(BusRequest request) {
    return UUID.fromString(request.device());
  }
}
