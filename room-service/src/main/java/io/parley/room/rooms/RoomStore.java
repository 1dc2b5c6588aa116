package io.parley.room.rooms;

import io.parley.room.outbox.OutboxStore;
import io.parley.shared.events.AppendRoomEvent;
import io.parley.shared.events.UuidV7;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Rooms and membership in the room schema: one SQL statement or one transaction per method. Every
 * query ignores soft-deleted rooms.
 */
public final class RoomStore {
  /** Owners first, then admins, then members; by name within a role. */
  private static final String MEMBER_ORDER = "m.role, m.username";

  private final Pool pool;

  public RoomStore(Pool pool) {
    this.pool = pool;
  }

  /** What {@link #createRoom} did: made the room, or found the pair's existing direct room. */
  public record Created(UUID room, boolean created) {}

  /** A committed {@link #alterRoom}: the room as it was before, and the change applied to it. */
  public record Altered(RoomState before, RoomChange change) {}

  /** The key that makes a direct pair unique: both usernames, sorted, space-separated. */
  public static String directKey(String a, String b) {
    return a.compareTo(b) <= 0 ? a + " " + b : b + " " + a;
  }

  /** The live direct room of a pair, if there is one. */
  public Future<Optional<UUID>> findDirectRoom(String directKey) {
    return pool.preparedQuery("SELECT id FROM rooms WHERE direct_key = $1 AND deleted_at IS NULL")
        .execute(Tuple.of(directKey))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getUUID("id")) : Optional.empty());
  }

  /**
   * Creates the room, its members and its {@code createdEvent} (given the new room's id) in the
   * outbox, in one transaction. For a direct room the unique {@code direct_key} decides races: the
   * loser's insert does nothing (it waits for the winner's commit) and the winner's room is returned
   * with {@code created = false}.
   */
  public Future<Created> createRoom(NewRoom room, Function<UUID, AppendRoomEvent> createdEvent) {
    UUID id = UuidV7.next();
    String[] users = room.members().keySet().toArray(String[]::new);
    Integer[] roles = room.members().values().stream().map(Role::code).toArray(Integer[]::new);
    return pool
        .withTransaction(conn -> conn.preparedQuery(
                "INSERT INTO rooms (id, type, name, direct_key, created_by) VALUES ($1, $2, $3, $4, $5)"
                    + " ON CONFLICT (direct_key) DO NOTHING")
            .execute(Tuple.of(id, (short) room.type().wire(), room.name(), room.directKey(), room.createdBy()))
            .compose(inserted -> {
              if (inserted.rowCount() == 0) {
                return Future.succeededFuture(false);
              }
              return conn.preparedQuery(
                      "INSERT INTO members (room_id, username, role) SELECT $1, u, r FROM unnest($2::text[], $3::int4[]) AS t (u, r)")
                  .execute(Tuple.of(id, users, roles))
                  .compose(done -> OutboxStore.enqueue(conn, List.of(createdEvent.apply(id))))
                  .map(done -> true);
            }))
        .compose(created -> created
            ? Future.succeededFuture(new Created(id, true))
            : findDirectRoom(room.directKey()).map(existing -> new Created(
                existing.orElseThrow(() -> new IllegalStateException("direct room conflict without a live room")), false)));
  }

  /**
   * A live room with its members, or empty for an unknown or deleted room. One query on the two
   * primary keys: it serves every ROOM_INFO and the message service's membership cache misses.
   */
  public Future<Optional<RoomState>> findRoom(UUID room) {
    return pool.preparedQuery(
            "SELECT r.type, r.name, m.username, m.role FROM rooms r JOIN members m ON m.room_id = r.id"
                + " WHERE r.id = $1 AND r.deleted_at IS NULL ORDER BY " + MEMBER_ORDER)
        .execute(Tuple.of(room))
        .map(rows -> toState(room, rows));
  }

  /** The user's live rooms with the member count and the user's role, newest membership first. */
  public Future<List<ListedRoom>> roomsOf(String user) {
    return pool.preparedQuery(
            "SELECT r.id, r.type, r.name, m.role,"
                + " (SELECT count(*) FROM members c WHERE c.room_id = r.id) AS member_count,"
                + " (SELECT o.username FROM members o WHERE o.room_id = r.id AND o.username <> $1"
                + "   ORDER BY o.username LIMIT 1) AS other"
                + " FROM members m JOIN rooms r ON r.id = m.room_id"
                + " WHERE m.username = $1 AND r.deleted_at IS NULL"
                + " ORDER BY m.joined_at DESC, r.id DESC")
        .execute(Tuple.of(user))
        .map(rows -> {
          List<ListedRoom> rooms = new ArrayList<>();
          for (Row row : rows) {
            RoomType type = RoomType.fromWire(row.getInteger("type")).orElseThrow();
            String other = row.getString("other");
            String name = type == RoomType.DIRECT ? (other == null ? user : other) : row.getString("name");
            rooms.add(new ListedRoom(
                row.getUUID("id"), type, name, row.getLong("member_count").intValue(), Role.fromCode(row.getInteger("role"))));
          }
          return rooms;
        });
  }

  /**
   * Changes a live room in one transaction: locks the room row (so changes to one room are applied
   * one at a time and every decision sees the members as they are), reads the members, lets
   * {@code decide} judge the request against that state, and applies the change it returns with the
   * change's log {@code events} in the outbox. A failure thrown by {@code decide} (FORBIDDEN,
   * BAD_PACKET...) rolls the transaction back. Empty when the room does not exist or is deleted;
   * {@code decide} is not called then.
   */
  public Future<Optional<Altered>> alterRoom(
      UUID room, Function<RoomState, RoomChange> decide, Function<Altered, List<AppendRoomEvent>> events) {
    return pool.withTransaction(conn -> conn
        .preparedQuery("SELECT id FROM rooms WHERE id = $1 AND deleted_at IS NULL FOR UPDATE")
        .execute(Tuple.of(room))
        .compose(locked -> {
          if (!locked.iterator().hasNext()) {
            return Future.succeededFuture(Optional.<Altered>empty());
          }
          // A second statement, so it sees every change committed before the lock was granted.
          return findRoom(conn, room).compose(state -> {
            RoomState before = state.orElseThrow();
            RoomChange change = decide.apply(before);
            Altered altered = new Altered(before, change);
            return apply(conn, room, change)
                .compose(done -> OutboxStore.enqueue(conn, events.apply(altered)))
                .map(done -> Optional.of(altered));
          });
        }));
  }

  private static Future<Optional<RoomState>> findRoom(SqlConnection conn, UUID room) {
    return conn.preparedQuery(
            "SELECT r.type, r.name, m.username, m.role FROM rooms r JOIN members m ON m.room_id = r.id"
                + " WHERE r.id = $1 ORDER BY " + MEMBER_ORDER)
        .execute(Tuple.of(room))
        .map(rows -> toState(room, rows));
  }

  private static Future<Void> apply(SqlConnection conn, UUID room, RoomChange change) {
    Future<RowSet<Row>> applied;
    if (change instanceof RoomChange.AddMembers add) {
      applied = conn.preparedQuery(
              "INSERT INTO members (room_id, username, role) SELECT $1, u, $3 FROM unnest($2::text[]) AS t (u)")
          .execute(Tuple.of(room, add.users().toArray(String[]::new), (short) Role.MEMBER.code()));
    } else if (change instanceof RoomChange.RemoveMember remove) {
      applied = conn.preparedQuery("DELETE FROM members WHERE room_id = $1 AND username = $2")
          .execute(Tuple.of(room, remove.user()));
    } else if (change instanceof RoomChange.ForgetMember forget) {
      applied = conn.preparedQuery("DELETE FROM members WHERE room_id = $1 AND username = $2")
          .execute(Tuple.of(room, forget.user()))
          .compose(removed -> conn.preparedQuery("UPDATE rooms SET direct_key = NULL WHERE id = $1").execute(Tuple.of(room)))
          .compose(freed -> forget.successor() == null
              ? Future.succeededFuture(freed)
              : conn.preparedQuery("UPDATE members SET role = $3 WHERE room_id = $1 AND username = $2")
                  .execute(Tuple.of(room, forget.successor(), (short) Role.OWNER.code())));
    } else if (change instanceof RoomChange.ChangeRole role) {
      applied = conn.preparedQuery("UPDATE members SET role = $3 WHERE room_id = $1 AND username = $2")
          .execute(Tuple.of(room, role.user(), (short) role.role().code()));
    } else if (change instanceof RoomChange.Rename rename) {
      applied = conn.preparedQuery("UPDATE rooms SET name = $2 WHERE id = $1").execute(Tuple.of(room, rename.name()));
    } else if (change instanceof RoomChange.Delete) {
      // Freeing the pair key lets the two people start a new direct room later.
      applied = conn.preparedQuery("UPDATE rooms SET deleted_at = now(), direct_key = NULL WHERE id = $1")
          .execute(Tuple.of(room));
    } else {
      throw new IllegalArgumentException("unknown room change " + change);
    }
    return applied.mapEmpty();
  }

  private static Optional<RoomState> toState(UUID room, RowSet<Row> rows) {
    RoomType type = null;
    String name = null;
    Map<String, Role> members = new LinkedHashMap<>();
    for (Row row : rows) {
      type = RoomType.fromWire(row.getInteger("type")).orElseThrow();
      name = row.getString("name");
      members.put(row.getString("username"), Role.fromCode(row.getInteger("role")));
    }
    return type == null ? Optional.empty() : Optional.of(new RoomState(room, type, name, members));
  }
}
