package io.parley.client;

import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.LinkBlob;
import io.parley.shared.protocol.packet.LinkFetch;
import io.parley.shared.protocol.packet.LinkPending;
import io.parley.shared.protocol.packet.LinkRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The server's mailbox for linking a new device (LINK_REQUEST, LINK_PENDING, LINK_BLOB, LINK_FETCH)
 * over one authenticated connection. What travels is sealed by the end-to-end layer above.
 */
public final class Links {
  /** A live link request of the account: the device, the chat key it registered, its nonce (base64). */
  public record Request(UUID device, String chatPublicKeyPem, String nonce, Instant expires) {}

  /** A blob relayed to this device. */
  public record Blob(UUID from, String blob) {}

  private final ParleyConnection connection;

  public Links(ParleyConnection connection) {
    this.connection = connection;
  }

  public Future<Void> request(String nonceBase64) {
    return Accounts.expectStatus(connection.request(new LinkRequest(nonceBase64).toEnvelope()), StatusCode.LINK_REQUESTED);
  }

  public Future<List<Request>> pending() {
    return Accounts.expect(connection.request(new LinkPending().toEnvelope()), PacketType.LINK_PENDING).map(reply -> {
      List<Request> out = new ArrayList<>();
      for (Object item : reply.data().getJsonArray("requests", new JsonArray())) {
        JsonObject r = (JsonObject) item;
        out.add(new Request(UUID.fromString(r.getString("device")), r.getString("chat_pubkey"), r.getString("nonce"),
            Instant.parse(r.getString("expires"))));
      }
      return out;
    });
  }

  public Future<Void> send(UUID device, String blobBase64) {
    return Accounts.expectStatus(connection.request(new LinkBlob(device, blobBase64).toEnvelope()), StatusCode.LINK_SENT);
  }

  public Future<List<Blob>> fetch() {
    return Accounts.expect(connection.request(new LinkFetch().toEnvelope()), PacketType.LINK_FETCH).map(reply -> {
      List<Blob> out = new ArrayList<>();
      for (Object item : reply.data().getJsonArray("blobs", new JsonArray())) {
        JsonObject b = (JsonObject) item;
        out.add(new Blob(UUID.fromString(b.getString("from")), b.getString("blob")));
      }
      return out;
    });
  }
}
