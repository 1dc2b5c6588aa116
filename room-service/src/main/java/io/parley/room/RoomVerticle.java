package io.parley.room;

import io.parley.shared.bus.NotBuiltYet;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.config.ParleyConfig;
import io.parley.shared.infra.ServiceResources;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.Service;
import io.parley.shared.service.ServiceVerticle;
import java.util.LinkedHashMap;
import java.util.Map;

/** The room service: owns the `room` schema and the ROOM packets of {@link PacketType}. */
public final class RoomVerticle extends ServiceVerticle {
  public static final String SCHEMA = "room";

  public RoomVerticle(ParleyConfig config) {
    super(config);
  }

  @Override
  protected String schema() {
    return SCHEMA;
  }

  @Override
  protected Map<String, RequestHandler> handlers(ServiceResources resources) {
    Map<String, RequestHandler> handlers = new LinkedHashMap<>();
    for (PacketType type : PacketType.values()) {
      if (type.service() == Service.ROOM && type.isRoutedRequest()) {
        handlers.put(type.address(), new NotBuiltYet(type));
      }
    }
    return handlers;
  }
}
