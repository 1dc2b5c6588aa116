package io.parley.auth.session;

import io.parley.auth.store.DeviceBindings;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * DEVICES → DEVICES {devices: [{device, created, last_seen, current}]}: every device id that has
 * logged in to the caller's account, most recently seen first; {@code current} marks the one asking.
 */
public final class DevicesHandler implements RequestHandler {
  private final DeviceBindings bindings;

  public DevicesHandler(DeviceBindings bindings) {
    this.bindings = bindings;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    return bindings.devicesOf(request.user()).map(devices -> {
      JsonArray list = new JsonArray();
      for (DeviceBindings.Device device : devices) {
        list.add(new JsonObject()
            .put("device", device.device().toString())
            .put("created", device.boundAt().toString())
            .put("last_seen", device.lastSeenAt().toString())
            .put("current", device.device().toString().equals(request.device())));
      }
      return BusReply.of(Envelope.of(PacketType.DEVICES, new JsonObject().put("devices", list)));
    });
  }
}
