package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * STATUS {sig, desc}: the server's answer to a request (success or error). Success statuses may carry
 * more fields (ROOM_OK {room}, MSG_OK {event, seq}); this record holds the two every STATUS has, and
 * the SDK reads the others from the envelope's data.
 *
 * @param desc a human-readable detail ("field: reason" for BAD_PACKET), or null
 */
public record Status(StatusCode sig, String desc) {

  public Status {
    Objects.requireNonNull(sig, "sig");
  }

  /** Parses a STATUS from the server (SDK side); an unknown sig is refused with the field named. */
  public static Status parse(JsonObject data) {
    Fields fields = Fields.of(data);
    Fields.Value sig = fields.required("sig");
    String name = sig.string(1, Integer.MAX_VALUE);
    StatusCode code =
        StatusCode.fromWire(name)
            .orElseThrow(() -> new BadPacketException("sig", "unknown status code"));
    String desc = fields.optional("desc").map(v -> v.string(0, Integer.MAX_VALUE)).orElse(null);
    return new Status(code, desc);
  }

  public JsonObject toData() {
    return toEnvelope().data();
  }

  public Envelope toEnvelope() {
    return Envelope.status(sig, desc);
  }

  public PacketType type() {
    return PacketType.STATUS;
  }
}
