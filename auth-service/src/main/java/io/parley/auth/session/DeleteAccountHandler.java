package io.parley.auth.session;

import io.parley.auth.password.PasswordPool;
import io.parley.auth.store.AccountStore;
import io.parley.auth.store.TokenStore;
import io.parley.shared.bus.Addresses;
import io.parley.shared.bus.BusClient;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.bus.SessionsRevoked;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.DeleteAccount;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * DELETE_ACCOUNT → STATUS ACCOUNT_DELETED. After the password checks out, the person leaves every
 * room (room service) and every message, edit and delete reason they sent becomes a tombstone
 * (message service); only then are their tokens revoked, their account row deleted with its devices,
 * keys and device bindings, and their live sessions on every gateway ended. The rooms and messages go
 * first because both steps are safe to repeat: if one fails the account still exists, the person
 * hears UNAVAILABLE and asks again, and nothing is left half-deleted without a way to finish.
 */
public final class DeleteAccountHandler implements RequestHandler {
  private final AccountStore accounts;
  private final PasswordPool passwords;
  private final TokenStore tokens;
  private final RevocationCache cache;
  private final LoginContexts contexts;
  private final EventBus bus;
  private final BusClient peers;

  /** @param peers asks the room and message services, each within its share of the gateway's wait */
  public DeleteAccountHandler(
      AccountStore accounts, PasswordPool passwords, TokenStore tokens, RevocationCache cache, LoginContexts contexts, EventBus bus, BusClient peers) {
    this.accounts = accounts;
    this.passwords = passwords;
    this.tokens = tokens;
    this.cache = cache;
    this.contexts = contexts;
    this.bus = bus;
    this.peers = peers;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    DeleteAccount delete = request.packet(DeleteAccount.class);
    String user = request.user();
    return accounts.findForLogin(user).compose(found -> checkPassword(delete, found)).compose(account ->
        forget(Addresses.ROOM_FORGET_MEMBER, user, "room")
            .compose(rooms -> forget(Addresses.MESSAGE_FORGET_SENDER, user, "message"))
            .compose(messages -> tokens.revokeUser(user))
            .compose(revoked -> accounts.deleteAccount(account.id()).map(revoked))
            .compose(revoked -> {
              bus.publish(Addresses.EVENTS_SESSIONS_REVOKED, new SessionsRevoked(user, null, request.connection()).toJson());
              return Future.join(cache.cache(revoked), contexts.forget(request.connection()).recover(failed -> Future.succeededFuture()));
            })
            .map(done -> BusReply.of(Envelope.status(StatusCode.ACCOUNT_DELETED)).unauthenticate()));
  }

  /** The same answer and the same work as LOGIN for a wrong password (a dummy hash when the row is gone). */
  private Future<AccountStore.Credentials> checkPassword(DeleteAccount delete, Optional<AccountStore.Credentials> found) {
    return passwords.verify(delete.password(), found.map(AccountStore.Credentials::passwordHash).orElse(null))
        .compose(valid -> valid
            ? Future.succeededFuture(found.get())
            : Future.failedFuture(new StatusException(StatusCode.LOGIN_FAILED, "password: wrong password")));
  }

  private Future<JsonObject> forget(String address, String user, String service) {
    // Whatever failed, the promise to the client is the same: nothing is deleted yet, ask again.
    return peers.<JsonObject>request(address, new JsonObject().put("user", user))
        .recover(failure -> Future.failedFuture(new StatusException(StatusCode.UNAVAILABLE,
            "the " + service + " service did not answer; nothing was deleted yet, send DELETE_ACCOUNT again")));
  }
}
