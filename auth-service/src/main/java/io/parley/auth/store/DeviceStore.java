package io.parley.auth.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/** Each user's devices and their end-to-end chat public keys. */
public final class DeviceStore {
  private final Pool pool;

  public DeviceStore(Pool pool) {
    this.pool = pool;
  }

  /** Registers (or replaces) the chat key of one of the user's devices. False when the user does not exist. */
  public Future<Boolean> registerChatKey(String username, UUID device, String chatPublicKeyPem) {
    return pool.preparedQuery(
            "INSERT INTO devices (user_id, device_id, chat_pubkey) SELECT id, $2, $3 FROM users WHERE username = $1"
                + " ON CONFLICT (user_id, device_id) DO UPDATE SET chat_pubkey = EXCLUDED.chat_pubkey")
        .execute(Tuple.of(username, device, chatPublicKeyPem))
        .map(rows -> rows.rowCount() == 1);
  }
}
