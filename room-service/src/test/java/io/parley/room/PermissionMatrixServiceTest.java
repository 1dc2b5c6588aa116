package io.parley.room;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.AlterRoom;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matrix again, end to end: for every room type, caller role and action, a fresh room with an
 * owner, an admin and two members; the caller acts on a canonical target (remove and promote: the
 * other member; demote: the admin, or the caller's co-owner in a direct room); the reply and the
 * stored membership must match the table.
 */
class PermissionMatrixServiceTest {
  private static RoomHarness rooms;

  @BeforeAll
  static void start() {
    rooms = RoomHarness.start(PermissionMatrixServiceTest.class.getSimpleName());
  }

  @AfterAll
  static void stop() {
    rooms.close();
  }

  /** actor → action → ok / FORBIDDEN, for groups and channels alike. */
  private static final Map<Role, Map<String, Boolean>> MANAGED = Map.of(
      Role.OWNER, Map.of("add", true, "remove", true, "rename", true, "leave", false, "promote", true, "demote", true, "delete", true),
      Role.ADMIN, Map.of("add", true, "remove", true, "rename", true, "leave", true, "promote", false, "demote", false, "delete", false),
      Role.MEMBER, Map.of("add", false, "remove", false, "rename", false, "leave", true, "promote", false, "demote", false, "delete", false));

  /** In a direct room both are owners and only delete is allowed. */
  private static final Map<String, Boolean> DIRECT = Map.of(
      "add", false, "remove", false, "rename", false, "leave", false, "promote", false, "demote", false, "delete", true);

  record Cell(RoomType type, Role actor, String action, boolean allowed) {
    @Override
    public String toString() {
      return "a" + (actor == Role.ADMIN ? "n " : " ") + actor.wire() + " of a " + type.name().toLowerCase() + " tries " + action
          + " → " + (allowed ? "ROOM_OK" : "FORBIDDEN");
    }
  }

  static Stream<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (RoomType type : List.of(RoomType.GROUP, RoomType.CHANNEL)) {
      MANAGED.forEach((actor, actions) -> actions.forEach((action, allowed) -> cells.add(new Cell(type, actor, action, allowed))));
    }
    DIRECT.forEach((action, allowed) -> cells.add(new Cell(RoomType.DIRECT, Role.OWNER, action, allowed)));
    return cells.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  void everyCell(Cell cell) {
    String owner = rooms.user("owner");
    String admin = rooms.user("admin");
    String member = rooms.user("member");
    String other = rooms.user("other");
    UUID room;
    String actor;
    String demoteTarget;
    String memberTarget;
    if (cell.type() == RoomType.DIRECT) {
      room = rooms.createRoom(owner, RoomType.DIRECT, null, other);
      actor = owner;
      demoteTarget = other;
      memberTarget = other;
    } else {
      room = rooms.roomWith(cell.type(), owner, List.of(admin), List.of(member, other));
      actor = switch (cell.actor()) {
        case OWNER -> owner;
        case ADMIN -> admin;
        case MEMBER -> member;
      };
      demoteTarget = admin;
      memberTarget = other;
    }
    AlterRoom.Action action = switch (cell.action()) {
      case "add" -> new AlterRoom.Add(room, List.of(rooms.user("newcomer")));
      case "remove" -> new AlterRoom.Remove(room, memberTarget);
      case "rename" -> new AlterRoom.Rename(room, "Renamed");
      case "leave" -> new AlterRoom.Leave(room);
      case "promote" -> new AlterRoom.Promote(room, memberTarget);
      case "demote" -> new AlterRoom.Demote(room, demoteTarget);
      case "delete" -> new AlterRoom.Delete(room);
      default -> throw new IllegalArgumentException(cell.action());
    };
    Map<String, Role> before = rooms.membersOf(room);
    int announced = rooms.announcedFor(room).size();

    Envelope reply = rooms.alter(actor, action);

    if (cell.allowed()) {
      RoomHarness.assertOk(reply);
      assertThat(rooms.announcedFor(room).size()).isGreaterThan(announced);
      if (!cell.action().equals("rename")) {
        assertThat(rooms.membersOf(room)).isNotEqualTo(before);
      }
    } else {
      assertThat(reply.statusCode()).as(reply.toString()).contains(StatusCode.FORBIDDEN);
      assertThat(rooms.membersOf(room)).isEqualTo(before);
      assertThat(rooms.announcedFor(room)).hasSize(announced);
    }
  }
}
