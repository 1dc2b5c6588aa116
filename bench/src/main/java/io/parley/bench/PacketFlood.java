package io.parley.bench;

import io.parley.shared.channel.ChannelExhaustedException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.Replies;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AuthToken;
import io.parley.shared.protocol.packet.RoomList;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * One account on many connections, each authenticated with AUTH_TOKEN and then sending ROOM_LIST as
 * fast as TCP takes it (until the socket's write queue is full, then again once it drains): far past
 * the per-connection packet budget. Replies are counted by kind, not matched to requests, because a
 * server may answer only some of them: answered, RATE_LIMITED (and how many carried retry_after_ms),
 * other STATUS codes. How the connections ended is in the round's tally; a close without a STATUS
 * just before it is a silent close.
 */
final class PacketFlood implements HostileSlots.Misbehaviour {
  /** Records sealed per turn of the event loop (then the loop reads replies and comes back after 1 ms). */
  private static final int BATCH = 64;
  private static final String OTHER_STATUS = "flood_status_";

  private final Vertx vertx;
  private final Population.Account account;
  private final Tally tally;

  PacketFlood(Vertx vertx, Population.Account account, Tally tally) {
    this.vertx = vertx;
    this.account = account;
    this.tally = tally;
  }

  @Override
  public Future<Void> begin(RawConnection connection, long attempt) {
    return connection.handshake(account.device())
        .compose(v -> authenticate(connection, attempt))
        .onSuccess(v -> {
          connection.onPacket(this::count);
          pump(connection, "f" + attempt + "-", new long[1]);
        });
  }

  private Future<Void> authenticate(RawConnection connection, long attempt) {
    String id = "auth-" + attempt;
    Promise<Void> authenticated = Promise.promise();
    connection.onPacket(reply -> {
      if (id.equals(reply.id())) {
        if (reply.statusCode().filter(StatusCode.LOGIN_OK::equals).isPresent()) {
          authenticated.tryComplete();
        } else {
          tally.add("flood_auth_refused");
          authenticated.tryFail("AUTH_TOKEN answered " + reply.data().getString("sig", reply.type()));
          connection.close();
        }
      }
    });
    connection.ended().onComplete(ended -> authenticated.tryFail("closed before LOGIN_OK"));
    try {
      connection.send(new AuthToken(account.user(), account.token()).toEnvelope().withId(id));
    } catch (ChannelExhaustedException e) {
      return Future.failedFuture(e);
    }
    return authenticated.future();
  }

  private void pump(RawConnection connection, String idPrefix, long[] sent) {
    try {
      for (int i = 0; i < BATCH && connection.isOpen() && !connection.writeQueueFull(); i++) {
        connection.send(new RoomList().toEnvelope().withId(idPrefix + sent[0]++));
        tally.add("flood_sent");
      }
    } catch (ChannelExhaustedException e) {
      connection.close();
    }
    if (!connection.isOpen()) {
      return;
    }
    if (connection.writeQueueFull()) {
      connection.onDrain(v -> pump(connection, idPrefix, sent));
    } else {
      // A timer, not runOnContext: the loop must get to read the replies between batches.
      vertx.setTimer(1, t -> pump(connection, idPrefix, sent));
    }
  }

  private void count(Envelope reply) {
    StatusCode code = reply.statusCode().orElse(null);
    if (code == StatusCode.RATE_LIMITED) {
      tally.add("flood_rate_limited");
      if (reply.data().containsKey(Replies.RETRY_AFTER_MS)) {
        tally.add("flood_retry_after");
      }
    } else if (reply.id() == null) {
      // A push, or the STATUS a close is announced with (the tally counts it when the close comes).
    } else if (reply.is(PacketType.STATUS)) {
      tally.add(OTHER_STATUS + (code == null ? reply.data().getString("sig", "?") : code.name()));
    } else {
      tally.add("flood_answered");
    }
  }

  /** The flood's figures: sent, answered, RATE_LIMITED (with retry_after_ms), other STATUS replies by code. */
  @Override
  public void report(JsonObject row, double seconds) {
    row.put("flood_sent", tally.get("flood_sent"))
        .put("flood_sent_per_s", tally.get("flood_sent") / seconds)
        .put("flood_answered", tally.get("flood_answered"))
        .put("flood_rate_limited", tally.get("flood_rate_limited"))
        .put("flood_retry_after", tally.get("flood_retry_after"))
        .put("flood_other_status", tally.startingWith(OTHER_STATUS))
        .put("flood_auth_refused", tally.get("flood_auth_refused"));
  }
}
