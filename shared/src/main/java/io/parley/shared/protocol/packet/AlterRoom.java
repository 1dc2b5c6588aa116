package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * ALTER_ROOM {action, actiondata}: one change to a room the caller is in. Answered by STATUS ROOM_OK.
 * The actiondata always names the room; its other fields depend on the action. Who may do what is
 * the room service's decision.
 */
public record AlterRoom(AlterRoom.Action action) implements ClientPacket {

  public AlterRoom {
    Objects.requireNonNull(action, "action");
  }

  /** The wire names of ALTER_ROOM's actions. */
  public enum Kind {
    ADD("add"),
    REMOVE("remove"),
    RENAME("rename"),
    LEAVE("leave"),
    PROMOTE("promote"),
    DEMOTE("demote"),
    DELETE("delete");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** One action with its actiondata. */
  public sealed interface Action permits Add, Remove, Rename, Leave, Promote, Demote, Delete {
    Kind kind();

    UUID room();

    JsonObject toActionData();
  }

  /** Adds people (case-folded usernames, unique) as members. */
  public record Add(UUID room, List<String> people) implements Action {
    public Add {
      Objects.requireNonNull(room, "room");
      people = List.copyOf(people);
    }

    public Kind kind() {
      return Kind.ADD;
    }

    public JsonObject toActionData() {
      return new JsonObject().put("room", room.toString()).put("people", new JsonArray(people));
    }
  }

  /** Removes one member. */
  public record Remove(UUID room, String user) implements Action {
    public Kind kind() {
      return Kind.REMOVE;
    }

    public JsonObject toActionData() {
      return roomAndUser(room, user);
    }
  }

  /** Renames the room (the name is trimmed). */
  public record Rename(UUID room, String name) implements Action {
    public Kind kind() {
      return Kind.RENAME;
    }

    public JsonObject toActionData() {
      return new JsonObject().put("room", room.toString()).put("name", name);
    }
  }

  /** The caller leaves the room. */
  public record Leave(UUID room) implements Action {
    public Kind kind() {
      return Kind.LEAVE;
    }

    public JsonObject toActionData() {
      return new JsonObject().put("room", room.toString());
    }
  }

  /** Makes a member an admin. */
  public record Promote(UUID room, String user) implements Action {
    public Kind kind() {
      return Kind.PROMOTE;
    }

    public JsonObject toActionData() {
      return roomAndUser(room, user);
    }
  }

  /** Makes an admin a plain member. */
  public record Demote(UUID room, String user) implements Action {
    public Kind kind() {
      return Kind.DEMOTE;
    }

    public JsonObject toActionData() {
      return roomAndUser(room, user);
    }
  }

  /** Deletes the room for everyone. */
  public record Delete(UUID room) implements Action {
    public Kind kind() {
      return Kind.DELETE;
    }

    public JsonObject toActionData() {
      return new JsonObject().put("room", room.toString());
    }
  }

  public static AlterRoom parse(JsonObject data) {
    Fields fields = Fields.of(data);
    Kind kind = fields.oneOf("action", Kind.values(), Kind::wireName);
    Fields actiondata = fields.object("actiondata");
    UUID room = actiondata.uuid("room");
    Action action =
        switch (kind) {
          case ADD -> new Add(room, actiondata.required("people").usernames(1, Limits.ROOM_PEOPLE_MAX));
          case REMOVE -> new Remove(room, actiondata.username("user"));
          case RENAME ->
              new Rename(room, actiondata.required("name").displayText(1, Limits.ROOM_NAME_MAX_CHARS));
          case LEAVE -> new Leave(room);
          case PROMOTE -> new Promote(room, actiondata.username("user"));
          case DEMOTE -> new Demote(room, actiondata.username("user"));
          case DELETE -> new Delete(room);
        };
    return new AlterRoom(action);
  }

  public Kind kind() {
    return action.kind();
  }

  public UUID room() {
    return action.room();
  }

  @Override
  public PacketType type() {
    return PacketType.ALTER_ROOM;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject()
        .put("action", action.kind().wireName())
        .put("actiondata", action.toActionData());
  }

  private static JsonObject roomAndUser(UUID room, String user) {
    return new JsonObject().put("room", room.toString()).put("user", user);
  }
}
