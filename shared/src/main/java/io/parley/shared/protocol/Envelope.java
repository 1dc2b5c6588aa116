package io.parley.shared.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * One packet as it travels: {@code {"type": "...", "id": "...", "data": {...}}}.
 *
 * <p>{@code type} is kept as the raw wire string so that an unknown type can still be answered with
 * UNKNOWN_TYPE and the request's {@code id}. {@code id} is optional (null when absent): the client's
 * request id, copied onto the reply. {@code data} is never null.
 */
public record Envelope(String type, String id, JsonObject data) {

  /** Longest request id a client may choose (DESIGN §2). */
  public static final int MAX_ID_CHARS = 64;

  public Envelope {
    Objects.requireNonNull(type, "type");
    data = data == null ? new JsonObject() : data;
  }

  public static Envelope of(PacketType type, JsonObject data) {
    return new Envelope(type.wireName(), null, data);
  }

  public static Envelope status(StatusCode code) {
    return of(PacketType.STATUS, new JsonObject().put("sig", code.name()));
  }

  public static Envelope status(StatusCode code, String desc) {
    JsonObject data = new JsonObject().put("sig", code.name());
    if (desc != null) {
      data.put("desc", desc);
    }
    return of(PacketType.STATUS, data);
  }

  public Envelope withId(String requestId) {
    return new Envelope(type, requestId, data);
  }

  public Optional<PacketType> packetType() {
    return PacketType.fromWire(type);
  }

  public boolean is(PacketType packetType) {
    return packetType.wireName().equals(type);
  }

  /** The STATUS code of a STATUS packet, empty for other packets or unknown codes. */
  public Optional<StatusCode> statusCode() {
    return is(PacketType.STATUS) ? StatusCode.fromWire(data.getString("sig")) : Optional.empty();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type);
    if (id != null) {
      json.put("id", id);
    }
    return json.put("data", data);
  }

  /** Inverse of {@link #toJson()} for trusted JSON (bus replies); client input goes through PacketCodec. */
  public static Envelope fromJson(JsonObject json) {
    return new Envelope(json.getString("type"), json.getString("id"), json.getJsonObject("data"));
  }
}
