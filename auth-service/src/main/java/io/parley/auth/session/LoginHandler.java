package io.parley.auth.session;

import io.parley.auth.captcha.Captchas;
import io.parley.auth.captcha.PendingCaptchas;
import io.parley.auth.password.PasswordPool;
import io.parley.auth.store.AccountStore;
import io.parley.auth.store.DeviceBindings;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.Replies;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.Login;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LOGIN → STATUS LOGIN_OK and an authenticated connection. An unknown user and a wrong password get
 * the same answer after the same work (a hash is verified either way, against a dummy for an unknown
 * user), so neither the reply nor its timing tells whether an account exists. Past the per-account
 * threshold a LOGIN from an address new to the account is answered with CAPTCHA instead
 * ({@link LoginThrottle}); S_CAPTCHA then admits one more LOGIN on that connection. A locked account
 * is told so (ACCOUNT_LOCKED) only after its right password, so the lock says nothing to a guesser.
 */
public final class LoginHandler implements RequestHandler {
  private static final Logger log = LoggerFactory.getLogger(LoginHandler.class);

  private final AccountStore accounts;
  private final PasswordPool passwords;
  private final LoginThrottle throttle;
  private final LoginContexts contexts;
  private final Captchas captchas;
  private final PendingCaptchas pendingCaptchas;
  private final DeviceBindings bindings;

  public LoginHandler(
      AccountStore accounts,
      PasswordPool passwords,
      LoginThrottle throttle,
      LoginContexts contexts,
      Captchas captchas,
      PendingCaptchas pendingCaptchas,
      DeviceBindings bindings) {
    this.accounts = accounts;
    this.passwords = passwords;
    this.throttle = throttle;
    this.contexts = contexts;
    this.captchas = captchas;
    this.pendingCaptchas = pendingCaptchas;
    this.bindings = bindings;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    Login login = request.packet(Login.class);
    return accounts.findForLogin(login.lookupKey()).compose(found -> {
      String account = found.map(AccountStore.Credentials::username).orElse(login.lookupKey());
      return throttle.admit(account, request.remote(), request.connection()).compose(admission ->
          admission == LoginThrottle.Admission.NEEDS_CAPTCHA
              ? askForCaptcha(request.connection(), account)
              : checkPassword(request, login, found, account));
    });
  }

  private Future<BusReply> checkPassword(BusRequest request, Login login, Optional<AccountStore.Credentials> found, String account) {
    return passwords
        .verify(login.password(), found.map(AccountStore.Credentials::passwordHash).orElse(null))
        .recover(notRun -> throttle.notChecked(account, request.remote()).compose(refunded -> Future.failedFuture(notRun)))
        .compose(valid -> valid ? succeed(request, login, found.get()) : failed());
  }

  private Future<BusReply> askForCaptcha(String connection, String account) {
    Captchas.Captcha captcha = captchas.issue();
    return pendingCaptchas
        .put(connection, PendingCaptchas.Pending.forLogin(captcha.stored(), account))
        .map(stored -> BusReply.of(Envelope.of(PacketType.CAPTCHA, new JsonObject().put("challenge", captcha.challenge()))));
  }

  /**
   * The right password on a device that belongs to another account is refused with DEVICE_TAKEN and
   * nothing is stored: the device id is public (every event names its sender's), so without the
   * binding anyone could log in "as" a victim's device and reach its request records.
   */
  private Future<BusReply> succeed(BusRequest request, Login login, AccountStore.Credentials credentials) {
    if (credentials.locked()) {
      return Future.failedFuture(new StatusException(StatusCode.ACCOUNT_LOCKED, "this account is locked by an administrator"));
    }
    return bindings.claim(credentials.username(), UUID.fromString(request.device())).compose(claimed -> claimed
        ? authenticate(request, login, credentials)
        : Future.failedFuture(new StatusException(StatusCode.DEVICE_TAKEN, "this device id belongs to another account; use a new one")));
  }

  private Future<BusReply> authenticate(BusRequest request, Login login, AccountStore.Credentials credentials) {
    upgradeHashIfStale(login.password(), credentials);
    return throttle
        .succeeded(credentials.username(), request.remote())
        .compose(counted -> contexts.remember(request.connection(), credentials.username(), login.save()))
        .map(remembered -> BusReply.of(Replies.loginOk(credentials.username())).authenticate(credentials.username()));
  }

  /** Rehashes with today's Argon2id parameters after a successful login; failures only cost a retry next time. */
  private void upgradeHashIfStale(String password, AccountStore.Credentials credentials) {
    if (passwords.needsRehash(credentials.passwordHash())) {
      passwords
          .hash(password)
          .compose(hash -> accounts.replacePasswordHash(credentials.id(), hash))
          .onFailure(failure -> log.warn("password rehash for an account failed: {}", failure.getMessage()));
    }
  }

  private static Future<BusReply> failed() {
    return Future.failedFuture(new StatusException(StatusCode.LOGIN_FAILED, "unknown user or wrong password"));
  }
}
