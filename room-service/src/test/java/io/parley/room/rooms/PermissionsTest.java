package io.parley.room.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.RoomType;
import io.parley.shared.room.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The permission matrix of docs/protocol-rooms.md, cell by cell: every room type × caller role ×
 * action (× target role for remove, promote and demote; × "last owner or not" for leave). Outcomes
 * are written out here, not derived from {@link Permissions}: "ok", "ok→role" (the target's new
 * role) or "FORBIDDEN".
 */
class PermissionsTest {

  /** Groups and channels are managed alike; direct rooms have their own column. */
  private static final List<String> GROUP_AND_CHANNEL = List.of(
      // actor   action   target       outcome
      "owner     add      -            ok",
      "admin     add      -            ok",
      "member    add      -            FORBIDDEN",
      "owner     rename   -            ok",
      "admin     rename   -            ok",
      "member    rename   -            FORBIDDEN",
      "owner     delete   -            ok",
      "admin     delete   -            FORBIDDEN",
      "member    delete   -            FORBIDDEN",
      "owner     leave    last-owner   FORBIDDEN",
      "owner     leave    co-owned     ok",
      "admin     leave    -            ok",
      "member    leave    -            ok",
      "owner     remove   owner        FORBIDDEN",
      "owner     remove   admin        ok",
      "owner     remove   member       ok",
      "admin     remove   owner        FORBIDDEN",
      "admin     remove   admin        FORBIDDEN",
      "admin     remove   member       ok",
      "member    remove   owner        FORBIDDEN",
      "member    remove   admin        FORBIDDEN",
      "member    remove   member       FORBIDDEN",
      "owner     promote  owner        FORBIDDEN",
      "owner     promote  admin        ok→owner",
      "owner     promote  member       ok→admin",
      "admin     promote  owner        FORBIDDEN",
      "admin     promote  admin        FORBIDDEN",
      "admin     promote  member       FORBIDDEN",
      "member    promote  owner        FORBIDDEN",
      "member    promote  admin        FORBIDDEN",
      "member    promote  member       FORBIDDEN",
      "owner     demote   owner        ok→admin",
      "owner     demote   admin        ok→member",
      "owner     demote   member       FORBIDDEN",
      "admin     demote   owner        FORBIDDEN",
      "admin     demote   admin        FORBIDDEN",
      "admin     demote   member       FORBIDDEN",
      "member    demote   owner        FORBIDDEN",
      "member    demote   admin        FORBIDDEN",
      "member    demote   member       FORBIDDEN");

  /** Both people of a direct room are owners; only delete is possible. */
  private static final List<String> DIRECT = List.of(
      "owner     add      -            FORBIDDEN",
      "owner     rename   -            FORBIDDEN",
      "owner     delete   -            ok",
      "owner     leave    last-owner   FORBIDDEN",
      "owner     leave    co-owned     FORBIDDEN",
      "owner     remove   owner        FORBIDDEN",
      "owner     promote  owner        FORBIDDEN",
      "owner     demote   owner        FORBIDDEN");

  record Cell(RoomType type, Role actor, String action, String target, String outcome) {
    @Override
    public String toString() {
      return type + " " + actor.wire() + " " + action + " " + target + " → " + outcome;
    }
  }

  static Stream<Cell> matrix() {
    List<Cell> cells = new ArrayList<>();
    for (RoomType type : List.of(RoomType.GROUP, RoomType.CHANNEL)) {
      GROUP_AND_CHANNEL.forEach(line -> cells.add(cell(type, line)));
    }
    DIRECT.forEach(line -> cells.add(cell(RoomType.DIRECT, line)));
    return cells.stream();
  }

  private static Cell cell(RoomType type, String line) {
    String[] parts = line.trim().split("\\s+");
    return new Cell(type, Role.fromWire(parts[0]).orElseThrow(), parts[1], parts[2], parts[3]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void everyCellOfTheMatrix(Cell cell) {
    if (cell.outcome().equals("FORBIDDEN")) {
      assertThatThrownBy(() -> judge(cell))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.code()).isEqualTo(StatusCode.FORBIDDEN);
            assertThat(e.getMessage()).isNotBlank();
          });
    } else {
      Role now = judge(cell);
      if (cell.outcome().startsWith("ok→")) {
        assertThat(now).isEqualTo(Role.fromWire(cell.outcome().substring(3)).orElseThrow());
      }
    }
  }

  @Test
  void theTableNamesEveryCombination() {
    Set<String> named = new HashSet<>();
    matrix().forEach(cell -> named.add(cell.type() + " " + cell.actor() + " " + cell.action() + " " + cell.target()));
    for (RoomType type : List.of(RoomType.GROUP, RoomType.CHANNEL)) {
      for (Role actor : Role.values()) {
        for (String action : List.of("add", "rename", "delete")) {
          assertThat(named).contains(type + " " + actor + " " + action + " -");
        }
        assertThat(named).contains(type + " " + actor + " leave " + (actor == Role.OWNER ? "last-owner" : "-"));
        for (String action : List.of("remove", "promote", "demote")) {
          for (Role target : Role.values()) {
            assertThat(named).contains(type + " " + actor + " " + action + " " + target.wire());
          }
        }
      }
    }
    assertThat(DIRECT).hasSize(8);
  }

  @Test
  void nobodyChangesTheirOwnRoleOrRemovesThemself() {
    for (RoomType type : List.of(RoomType.GROUP, RoomType.CHANNEL)) {
      for (Role role : Role.values()) {
        assertThatThrownBy(() -> Permissions.promote(type, role, role, true)).hasMessage("nobody may change their own role");
        assertThatThrownBy(() -> Permissions.demote(type, role, role, true)).hasMessage("nobody may change their own role");
        assertThatThrownBy(() -> Permissions.remove(type, role, role, true))
            .hasMessage("to leave a room use the leave action, not remove");
      }
    }
  }

  @Test
  void forbiddenSaysWhichRule() {
    assertThatThrownBy(() -> Permissions.add(RoomType.GROUP, Role.MEMBER))
        .hasMessage("only owners and admins may add people to a group");
    assertThatThrownBy(() -> Permissions.remove(RoomType.CHANNEL, Role.OWNER, Role.OWNER, false))
        .hasMessage("an owner cannot be removed; another owner may demote them first");
    assertThatThrownBy(() -> Permissions.rename(RoomType.DIRECT, Role.OWNER))
        .hasMessage("a direct room cannot be renamed; each person sees it under the other's name");
    assertThatThrownBy(() -> Permissions.leave(RoomType.GROUP, Role.OWNER, 1))
        .hasMessage("the last owner cannot leave; promote an admin to owner first, or delete the group");
  }

  private static Role judge(Cell cell) {
    RoomType type = cell.type();
    Role actor = cell.actor();
    Role target = Role.fromWire(cell.target()).orElse(null);
    switch (cell.action()) {
      case "add" -> Permissions.add(type, actor);
      case "rename" -> Permissions.rename(type, actor);
      case "delete" -> Permissions.delete(type, actor);
      case "leave" -> Permissions.leave(type, actor, cell.target().equals("co-owned") ? 2 : 1);
      case "remove" -> Permissions.remove(type, actor, target, false);
      case "promote" -> {
        return Permissions.promote(type, actor, target, false);
      }
      case "demote" -> {
        return Permissions.demote(type, actor, target, false);
      }
      default -> throw new IllegalArgumentException(cell.action());
    }
    return null;
  }
}
