package io.parley.auth.signup;

import io.parley.auth.captcha.Captchas;
import io.parley.auth.captcha.PendingCaptchas;
import io.parley.auth.limits.WindowCounter;
import io.parley.auth.password.PasswordPool;
import io.parley.auth.store.AccountStore;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.infra.RedisKeys;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.Signup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * SIGNUP → CAPTCHA. Hashes the password on the bounded worker pool and parks the account with its
 * captcha until S_CAPTCHA. The per-address limit comes first because every signup costs one Argon2id
 * hash.
 *
 * <p>Whether the username or email is taken is deliberately not looked at here: a free and a taken
 * name get the same reply after the same hash, and USERNAME_TAKEN / EMAIL_TAKEN come from the unique
 * indexes at insert, after the captcha (docs/security.md §1, "No account enumeration through signup").
 */
public final class SignupHandler implements RequestHandler {
  private final AccountStore accounts;
  private final PasswordPool passwords;
  private final Captchas captchas;
  private final PendingCaptchas pending;
  private final WindowCounter signupsPerAddress;
  private final int maxSignupsPerAddress;

  public SignupHandler(
      AccountStore accounts,
      PasswordPool passwords,
      Captchas captchas,
      PendingCaptchas pending,
      WindowCounter signupsPerAddress,
      int maxSignupsPerAddress) {
    this.accounts = accounts;
    this.passwords = passwords;
    this.captchas = captchas;
    this.pending = pending;
    this.signupsPerAddress = signupsPerAddress;
    this.maxSignupsPerAddress = maxSignupsPerAddress;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    Signup signup = request.packet(Signup.class);
    return signupsPerAddress
        .hit(RedisKeys.signupsForAddress(request.remote()))
        .compose(count -> count > maxSignupsPerAddress
            ? Future.failedFuture(new StatusException(StatusCode.RATE_LIMITED, "too many signups from this address; retry later"))
            : passwords.hash(signup.password()))
        .compose(passwordHash -> {
          Captchas.Captcha captcha = captchas.issue();
          JsonObject account =
              new JsonObject()
                  .put("user", signup.user())
                  .put("email", signup.email())
                  .put("fullname", signup.fullname())
                  .put("dob", signup.dob().toString())
                  .put("passwordHash", passwordHash);
          return pending
              .put(request.connection(), PendingCaptchas.Pending.forSignup(captcha.stored(), account))
              .map(stored -> BusReply.of(Envelope.of(PacketType.CAPTCHA, new JsonObject().put("challenge", captcha.challenge()))));
        });
  }
}
