package io.parley.auth.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Which account each device id belongs to: the first that logged in with it, for good. The device id
 * travels in clear on every event ({@code sender_device}), so anyone can announce someone else's in
 * CONN_INIT; the binding is what stops them from logging in on it.
 */
public final class DeviceBindings {
  private final Pool pool;

  public DeviceBindings(Pool pool) {
    this.pool = pool;
  }

  /** One of an account's devices, for DEVICES. */
  public record Device(UUID device, Instant boundAt, Instant lastSeenAt) {}

  /**
   * Binds {@code device} to {@code username} if it is free, or refreshes its last-seen time if it is
   * already the user's. False when the device belongs to another account (nothing is changed then).
   * One statement: two first logins racing for one device cannot both win.
   */
  public Future<Boolean> claim(String username, UUID device) {
    return pool.preparedQuery(
            "INSERT INTO device_bindings (device_id, user_id) SELECT $2, id FROM users WHERE username = $1"
                + " ON CONFLICT (device_id) DO UPDATE SET last_seen_at = now()"
                + " WHERE device_bindings.user_id = EXCLUDED.user_id"
                + " RETURNING device_id")
        .execute(Tuple.of(username, device))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The account's devices, most recently seen first. */
  public Future<List<Device>> devicesOf(String username) {
    return pool.preparedQuery(
            "SELECT b.device_id, b.bound_at, b.last_seen_at FROM device_bindings b JOIN users u ON u.id = b.user_id"
                + " WHERE u.username = $1 ORDER BY b.last_seen_at DESC")
        .execute(Tuple.of(username))
        .map(rows -> {
          List<Device> devices = new ArrayList<>();
          for (Row row : rows) {
            devices.add(new Device(
                row.getUUID("device_id"), row.getOffsetDateTime("bound_at").toInstant(), row.getOffsetDateTime("last_seen_at").toInstant()));
          }
          return devices;
        });
  }

  /** True when {@code device} is one of the account's devices. */
  public Future<Boolean> belongsTo(String username, UUID device) {
    return pool.preparedQuery(
            "SELECT 1 FROM device_bindings b JOIN users u ON u.id = b.user_id WHERE u.username = $1 AND b.device_id = $2")
        .execute(Tuple.of(username, device))
        .map(rows -> rows.size() == 1);
  }
}
