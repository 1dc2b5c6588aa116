package io.parley.shared.bus;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.CreateRoom;
import io.parley.shared.protocol.packet.RoomType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** In one process the record itself is handed over; between processes it travels as its JSON. */
class BusCodecsTest {
  static final BusRequest REQUEST = new BusRequest(
      "ada", UUID.randomUUID().toString(), "conn-1", "node-1", "127.0.0.1", "req-1",
      new CreateRoom(RoomType.GROUP, "Club", List.of("bob", "carol")));
  static final BusReply REPLY = BusReply.of(Envelope.status(StatusCode.LOGIN_OK, "welcome")).authenticate("ada");
  static final AppendRoomEvent APPEND = new AppendRoomEvent(
      UUID.randomUUID(), UUID.randomUUID(), RoomEventKind.MEMBER_ADDED, "ada", new JsonObject().put("user", "bob"), List.of("carol"));

  @Test
  void in_one_process_the_receiver_gets_the_very_objects_sent() {
    Vertx vertx = Vertx.vertx();
    try {
      BusCodecs.register(vertx);
      BusCodecs.register(vertx);
      await(vertx.eventBus().<BusRequest>consumer("test.echo", message -> {
        assertThat(message.body()).isSameAs(REQUEST);
        message.reply(REPLY);
      }).completion());

      Message<BusReply> reply = await(vertx.eventBus().request("test.echo", REQUEST));

      assertThat(reply.body()).isSameAs(REPLY);
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void between_processes_each_record_arrives_equal_to_what_was_sent() {
    assertThat(overTheWire(BusCodecs.REQUEST, REQUEST)).isEqualTo(REQUEST).isNotSameAs(REQUEST);
    assertThat(overTheWire(BusCodecs.REPLY, REPLY)).isEqualTo(REPLY);
    assertThat(overTheWire(BusCodecs.APPEND_ROOM_EVENT, APPEND)).isEqualTo(APPEND);
  }

  @Test
  void a_record_is_framed_at_any_position_of_the_cluster_message() {
    Buffer frame = Buffer.buffer().appendString("header");
    BusCodecs.REPLY.encodeToWire(frame, REPLY);

    assertThat(BusCodecs.REPLY.decodeFromWire("header".length(), frame)).isEqualTo(REPLY);
  }

  static <T> T overTheWire(RecordCodec<T> codec, T record) {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, record);
    return codec.decodeFromWire(0, wire);
  }
}
