package io.parley.message.log;

import io.parley.message.delivery.Fanout;
import io.parley.message.membership.MembershipCache;
import io.parley.message.store.EventStore;
import io.parley.shared.bus.RecordHandler;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.room.RoomMembership;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Membership and room changes, relayed by the room service's outbox after it committed them:
 * appended to the room's log like any other event, then pushed to the room's members (read fresh:
 * the room service announced the change before asking, so the cache entry is already gone) and to
 * former members who must learn they left. Idempotent on the event's id: a relay that retries after
 * a lost reply gets the stored event back and nothing is appended again, but the event is pushed
 * again: the reply may have been lost because the replica that appended it died before its push,
 * and receivers drop a push they already have by room and seq.
 */
public final class AppendRoomEventHandler implements RecordHandler<AppendRoomEvent, JsonObject> {
  private final EventStore events;
  private final MembershipCache memberships;
  private final Fanout fanout;
  private final RoomSequencer sequencer;

  public AppendRoomEventHandler(EventStore events, MembershipCache memberships, Fanout fanout, RoomSequencer sequencer) {
    this.events = events;
    this.memberships = memberships;
    this.fanout = fanout;
    this.sequencer = sequencer;
  }

  @Override
  public Future<JsonObject> handle(AppendRoomEvent append) {
    return sequencer.inOrder(append.room(), () -> events
        .appendEventOnce(append.id(), new EventStore.Draft(append.room(), append.kind(), append.actor(), null, append.data()))
        .compose(appended -> memberships.membership(append.room()).map(membership -> {
          pushTo(appended.event(), membership, append);
          return appended.event().toJson();
        })));
  }

  private void pushTo(RoomEvent event, Optional<RoomMembership> membership, AppendRoomEvent append) {
    Set<String> recipients = new LinkedHashSet<>(append.alsoNotify());
    membership.ifPresent(room -> recipients.addAll(room.members().keySet()));
    fanout.push(event, recipients, null);
  }
}
