package io.parley.auth.session;

import io.parley.auth.store.DeviceBindings;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.RevokeDevice;
import io.vertx.core.Future;

/**
 * REVOKE_DEVICE → STATUS DEVICE_REVOKED: a person cuts off one of their devices (a lost phone). Its
 * tokens are revoked in PostgreSQL, cached for the gateways, and its live connections logged out on
 * every gateway. Another account's device, or one never used, is DEVICE_NOT_FOUND. Revoking the
 * asking device itself is allowed and logs this connection out too (it answers first).
 */
public final class RevokeDeviceHandler implements RequestHandler {
  private final DeviceBindings bindings;
  private final SessionRevoker revoker;

  public RevokeDeviceHandler(DeviceBindings bindings, SessionRevoker revoker) {
    this.bindings = bindings;
    this.revoker = revoker;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    RevokeDevice revoke = request.packet(RevokeDevice.class);
    return bindings.belongsTo(request.user(), revoke.device()).compose(owned -> {
      if (!owned) {
        return Future.failedFuture(new StatusException(StatusCode.DEVICE_NOT_FOUND, "device: not one of this account's devices"));
      }
      return revoker.revoke(request.user(), revoke.device()).map(done -> BusReply.of(Envelope.status(StatusCode.DEVICE_REVOKED)));
    });
  }
}
