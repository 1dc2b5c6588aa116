package io.parley.bench;

import io.parley.shared.channel.ChannelExhaustedException;
import io.parley.shared.protocol.packet.RoomList;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * The holding attacks: what a connection does to occupy the server while sending (almost) nothing.
 * Each tests one defence: a silent connection the handshake timeout, an announced frame that memory
 * follows the bytes received rather than the length claimed, a dribble that a started frame must
 * finish in time.
 */
final class Misbehaviours {
  private Misbehaviours() {}

  static HostileSlots.Misbehaviour silent() {
    return (connection, attempt) -> Future.succeededFuture();
  }

  /** A length prefix announcing {@code frameBytes}, before any handshake; nothing follows. */
  static HostileSlots.Misbehaviour announcePre(int frameBytes) {
    return (connection, attempt) -> {
      connection.write(lengthPrefix(frameBytes));
      return Future.succeededFuture();
    };
  }

  /** The whole handshake, then a record of {@code frameBytes} announced; nothing follows. */
  static HostileSlots.Misbehaviour announcePost(int frameBytes) {
    return (connection, attempt) -> connection.handshake(UUID.randomUUID()).onSuccess(v -> connection.write(lengthPrefix(frameBytes)));
  }

  /** A real CONN_INIT frame, length prefix included, one byte every {@code everyMs}. */
  static HostileSlots.Misbehaviour dribblePre(Vertx vertx, long everyMs) {
    return (connection, attempt) -> {
      dribble(vertx, connection, RawConnection.connInitFrame(UUID.randomUUID()), everyMs);
      return Future.succeededFuture();
    };
  }

  /** The whole handshake, then a real sealed ROOM_LIST record, one byte every {@code everyMs}. */
  static HostileSlots.Misbehaviour dribblePost(Vertx vertx, long everyMs) {
    return (connection, attempt) -> connection.handshake(UUID.randomUUID()).compose(v -> {
      try {
        dribble(vertx, connection, connection.sealedFrame(new RoomList().toEnvelope().withId("d" + attempt)), everyMs);
        return Future.<Void>succeededFuture();
      } catch (ChannelExhaustedException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private static Buffer lengthPrefix(int frameBytes) {
    return Buffer.buffer(4).appendInt(frameBytes);
  }

  /** Writes {@code frame} a byte at a time, the first at once; stops when it is all sent or the connection ends. */
  private static void dribble(Vertx vertx, RawConnection connection, Buffer frame, long everyMs) {
    int[] sent = {1};
    connection.write(frame.getBuffer(0, 1));
    long timer = vertx.setPeriodic(Math.max(1, everyMs), t -> {
      if (sent[0] < frame.length() && connection.isOpen()) {
        connection.write(frame.getBuffer(sent[0], sent[0] + 1));
        sent[0]++;
      } else {
        vertx.cancelTimer(t);
      }
    });
    connection.ended().onComplete(ended -> vertx.cancelTimer(timer));
  }
}
