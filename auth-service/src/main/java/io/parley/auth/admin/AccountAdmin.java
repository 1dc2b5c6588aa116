package io.parley.auth.admin;

import io.parley.auth.session.SessionRevoker;
import io.parley.auth.store.DeviceBindings;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.InternalHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;

/**
 * The auth service's parley-admin requests (the {@code AUTH_ADMIN_*} addresses): find, lock, unlock,
 * read an account, end its sessions. The ops endpoint that asks has checked the admin signature and
 * the arguments' shapes; an unknown account or device is {"found": false}.
 */
public final class AccountAdmin {
  private final AccountAdminStore store;
  private final DeviceBindings bindings;
  private final SessionRevoker revoker;

  public AccountAdmin(AccountAdminStore store, DeviceBindings bindings, SessionRevoker revoker) {
    this.store = store;
    this.bindings = bindings;
    this.revoker = revoker;
  }

  public Map<String, InternalHandler> handlers() {
    return Map.of(
        Addresses.AUTH_ADMIN_FIND_USER, request -> store.find(request.getString("query")).map(users -> new JsonObject().put("users", users)),
        Addresses.AUTH_ADMIN_LOCK, this::lock,
        Addresses.AUTH_ADMIN_UNLOCK, this::unlock,
        Addresses.AUTH_ADMIN_ACCOUNT, this::account,
        Addresses.AUTH_ADMIN_END_SESSIONS, this::endSessions);
  }

  /**
   * The lock is committed before the tokens are revoked, so a token being issued concurrently is either
   * refused (it sees the lock) or revoked here (TokenStore#recordIssued says how).
   */
  private Future<JsonObject> lock(JsonObject request) {
    String user = request.getString("user");
    return store.setLocked(user, true).compose(found -> found
        ? revoker.revoke(user, null).map(revoked -> new JsonObject().put("user", user).put("locked", true).put("revoked_tokens", revoked))
        : Future.succeededFuture(noSuchUser()));
  }

  private Future<JsonObject> unlock(JsonObject request) {
    String user = request.getString("user");
    return store.setLocked(user, false).map(found -> found ? new JsonObject().put("user", user).put("locked", false) : noSuchUser());
  }

  private Future<JsonObject> account(JsonObject request) {
    String user = request.getString("user");
    return store.profile(user).compose(profile -> profile.isEmpty()
        ? Future.succeededFuture(noSuchUser())
        : store.devices(user).map(devices -> new JsonObject().put("profile", profile.get()).put("devices", devices)));
  }

  /** One device's sessions when the request names it (it must be the account's), else every session. */
  private Future<JsonObject> endSessions(JsonObject request) {
    String user = request.getString("user");
    String device = request.getString("device");
    if (device == null) {
      return store.profile(user).compose(profile -> profile.isEmpty()
          ? Future.succeededFuture(noSuchUser())
          : revoker.revoke(user, null).map(revoked -> new JsonObject().put("user", user).put("revoked_tokens", revoked)));
    }
    UUID id = UUID.fromString(device);
    return bindings.belongsTo(user, id).compose(owned -> owned
        ? revoker.revoke(user, id).map(revoked -> new JsonObject().put("user", user).put("device", device).put("revoked_tokens", revoked))
        : Future.succeededFuture(new JsonObject().put("found", false).put("reason", "no such device of this user (see `devices`)")));
  }

  private static JsonObject noSuchUser() {
    return new JsonObject().put("found", false).put("reason", "no such user");
  }
}
