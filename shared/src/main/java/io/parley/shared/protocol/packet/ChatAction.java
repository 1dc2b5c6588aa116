package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.UUID;

/**
 * CHAT_ACTION {room, action, actiondata}: one change to a room's event log. Answered by STATUS MSG_OK
 * {event, seq} after the commit. Content is ciphertext in base64: the server checks its size, never
 * its meaning.
 */
public record ChatAction(UUID room, ChatAction.Action action) implements ClientPacket {

  public ChatAction {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(action, "action");
  }

  /** The wire names of CHAT_ACTION's actions. */
  public enum Kind {
    SEND("send"),
    EDIT("edit"),
    DELETE("delete"),
    PIN("pin"),
    SAVE_PUBKEY("save-pubkey");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** One action with its actiondata. */
  public sealed interface Action permits Send, Edit, Delete, Pin, SavePubkey {
    Kind kind();

    /** A JsonObject, or for save-pubkey the PEM string itself (as the seed writes it). */
    Object toActionData();
  }

  /** A new message: {@code content} is base64 ciphertext of at most 64 KiB decoded. */
  public record Send(MessageFormat format, String content) implements Action {
    public Kind kind() {
      return Kind.SEND;
    }

    public JsonObject toActionData() {
      return new JsonObject().put("format", format.wireName()).put("content", content);
    }
  }

  /** Replaces the content of the caller's own message {@code msg}. */
  public record Edit(UUID msg, String content) implements Action {
    public Kind kind() {
      return Kind.EDIT;
    }

    public JsonObject toActionData() {
      return new JsonObject().put("msg", msg.toString()).put("content", content);
    }
  }

  /** Erases message {@code msg}, leaving a tombstone; {@code reason} is optional ciphertext (null). */
  public record Delete(UUID msg, String reason) implements Action {
    public Kind kind() {
      return Kind.DELETE;
    }

    public JsonObject toActionData() {
      JsonObject data = new JsonObject().put("msg", msg.toString());
      if (reason != null) {
        data.put("reason", reason);
      }
      return data;
    }
  }

  /** Pins message {@code msg}. */
  public record Pin(UUID msg) implements Action {
    public Kind kind() {
      return Kind.PIN;
    }

    public JsonObject toActionData() {
      return new JsonObject().put("msg", msg.toString());
    }
  }

  /** Publishes the device's chat public key (PEM) into the room's key directory. */
  public record SavePubkey(String chatPubkey) implements Action {
    public Kind kind() {
      return Kind.SAVE_PUBKEY;
    }

    public String toActionData() {
      return chatPubkey;
    }
  }

  public static ChatAction parse(JsonObject data) {
    Fields fields = Fields.of(data);
    UUID room = fields.uuid("room");
    Kind kind = fields.oneOf("action", Kind.values(), Kind::wireName);
    Fields.Value actiondata = fields.required("actiondata");
    Action action =
        switch (kind) {
          case SEND -> {
            Fields send = actiondata.object();
            yield new Send(
                send.oneOf("format", MessageFormat.values(), MessageFormat::wireName),
                content(send.required("content")));
          }
          case EDIT -> {
            Fields edit = actiondata.object();
            yield new Edit(edit.uuid("msg"), content(edit.required("content")));
          }
          case DELETE -> {
            Fields delete = actiondata.object();
            yield new Delete(
                delete.uuid("msg"),
                delete
                    .optional("reason")
                    .map(v -> v.base64(1, Limits.DELETE_REASON_MAX_BYTES))
                    .orElse(null));
          }
          case PIN -> new Pin(actiondata.object().uuid("msg"));
          case SAVE_PUBKEY -> new SavePubkey(savedPubkey(actiondata));
        };
    return new ChatAction(room, action);
  }

  public Kind kind() {
    return action.kind();
  }

  @Override
  public PacketType type() {
    return PacketType.CHAT_ACTION;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject()
        .put("room", room.toString())
        .put("action", action.kind().wireName())
        .put("actiondata", action.toActionData());
  }

  private static String content(Fields.Value content) {
    return content.base64(1, Limits.MESSAGE_CONTENT_MAX_BYTES);
  }

  /** The seed sends the PEM itself as actiondata; {@code {chat_pubkey: PEM}} is accepted too. */
  private static String savedPubkey(Fields.Value actiondata) {
    if (actiondata.isObject()) {
      return actiondata.object().required("chat_pubkey").publicKeyPem();
    }
    if (!actiondata.isString()) {
      throw actiondata.invalid("must be a PEM public key, or an object {chat_pubkey: PEM}");
    }
    return actiondata.publicKeyPem();
  }
}
