package io.parley.shared.bus;

import static org.assertj.core.api.Assertions.assertThat;

import static io.parley.testing.Futures.await;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.ClientPacket;
import io.parley.shared.protocol.packet.SyncRoomReq;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A handler's failure becomes exactly one reply: UNAVAILABLE for an outage, INTERNAL_ERROR for a bug. */
class ServiceEndpointTest {
  @Test
  void a_dependency_outage_answers_unavailable_so_the_client_retries() {
    for (Throwable outage : new Throwable[] {new ConnectException("Connection refused"), ClosedConnectionException.INSTANCE}) {
      BusReply reply = ServiceEndpoint.failureReply("test", outage);
      assertThat(reply.packet().statusCode()).as(outage.toString()).contains(StatusCode.UNAVAILABLE);
      assertThat(reply.packet().data().encode()).doesNotContain("correlation id");
    }
  }

  @Test
  void a_bug_answers_internal_error_with_a_correlation_id() {
    BusReply reply = ServiceEndpoint.failureReply("test", new IllegalStateException("bug"));
    assertThat(reply.packet().statusCode()).contains(StatusCode.INTERNAL_ERROR);
    assertThat(reply.packet().data().encode()).contains("correlation id");
  }

  @Test
  void a_gateway_of_the_release_before_records_sends_json_and_is_answered_in_json() {
    Vertx vertx = Vertx.vertx();
    try {
      List<ClientPacket> seen = new CopyOnWriteArrayList<>();
      await(ServiceEndpoint.register(vertx, Addresses.MESSAGE_SYNC, request -> {
        seen.add(request.packet());
        return Future.succeededFuture(BusReply.of(Envelope.of(PacketType.SYNC_ROOM_DATA, new JsonObject().put("more", false))));
      }));
      UUID room = UUID.randomUUID();
      // The old shape: no "type" (the address said it), the client's data as its gateway checked it.
      JsonObject old = new JsonObject().put("user", "ada").put("device", UUID.randomUUID().toString())
          .put("connection", "c-1").put("node", "n-1").put("remote", "127.0.0.1").put("requestId", "r-1")
          .put("data", new JsonObject().put("room", room.toString()).put("count", 5));

      Object answer = await(vertx.eventBus().request(Addresses.MESSAGE_SYNC, old)).body();
      assertThat(answer).isInstanceOf(JsonObject.class);
      assertThat(BusReply.fromJson((JsonObject) answer).packet().is(PacketType.SYNC_ROOM_DATA)).isTrue();
      assertThat(seen).containsExactly(new SyncRoomReq(room, 5, null, SyncRoomReq.Direction.AFTER));

      // Its data is checked here, since that gateway's checks may differ: a bad field is BAD_PACKET.
      Object refused = await(vertx.eventBus().request(Addresses.MESSAGE_SYNC, old.copy().put("data", new JsonObject().put("count", 5)))).body();
      assertThat(BusReply.fromJson((JsonObject) refused).packet().statusCode()).contains(StatusCode.BAD_PACKET);

      // This release's gateways send the record and get the record back.
      BusRequest record = BusRequest.fromJson(old, PacketType.SYNC_ROOM_REQ);
      assertThat(await(vertx.eventBus().request(Addresses.MESSAGE_SYNC, record)).body()).isInstanceOf(BusReply.class);
    } finally {
      await(vertx.close());
    }
  }
}
