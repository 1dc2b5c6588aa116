package io.parley.auth.signup;

import io.parley.auth.captcha.Captchas;
import io.parley.auth.captcha.PendingCaptchas;
import io.parley.auth.session.LoginThrottle;
import io.parley.auth.store.AccountStore;
import io.parley.shared.bus.BusReply;
import io.parley.shared.bus.BusRequest;
import io.parley.shared.bus.RequestHandler;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.parley.shared.protocol.packet.SCaptcha;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/**
 * S_CAPTCHA answers the captcha of a SIGNUP or of a LOGIN past the per-account threshold. For a
 * signup: NEW_ACC_OK once the account row is committed, or USERNAME_TAKEN / EMAIL_TAKEN from the
 * unique indexes (only now, after the captcha: docs/security.md §1). For a login: CAPTCHA_OK, and the
 * connection's next LOGIN for that account gets its password checked. A wrong answer → CAPTCHA_WRONG
 * with a fresh challenge, until too many wrong answers end the attempt. The pending captcha is taken
 * atomically, so an answer can be used once, only from the connection that asked, and only while
 * the captcha lives; anything else is CAPTCHA_EXPIRED.
 */
public final class CaptchaAnswerHandler implements RequestHandler {
  private final AccountStore accounts;
  private final Captchas captchas;
  private final PendingCaptchas pending;
  private final LoginThrottle loginThrottle;
  private final int maxWrongAnswers;

  public CaptchaAnswerHandler(
      AccountStore accounts, Captchas captchas, PendingCaptchas pending, LoginThrottle loginThrottle, int maxWrongAnswers) {
    this.accounts = accounts;
    this.captchas = captchas;
    this.pending = pending;
    this.loginThrottle = loginThrottle;
    this.maxWrongAnswers = maxWrongAnswers;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    SCaptcha answer = request.packet(SCaptcha.class);
    return pending.take(request.connection()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new StatusException(
            StatusCode.CAPTCHA_EXPIRED, "no captcha is pending on this connection; send SIGNUP or LOGIN again"));
      }
      PendingCaptchas.Pending captcha = found.get();
      if (!captchas.accepts(captcha.captcha(), answer.solved())) {
        return wrongAnswer(request.connection(), captcha);
      }
      if (captcha.isLogin()) {
        return loginThrottle
            .captchaSolved(request.connection(), captcha.login())
            .map(admitted -> BusReply.of(Envelope.status(StatusCode.CAPTCHA_OK, "captcha solved; send the LOGIN again")));
      }
      return createAccount(captcha.signup());
    });
  }

  private Future<BusReply> createAccount(JsonObject account) {
    return accounts
        .createAccount(new AccountStore.NewAccount(
            account.getString("user"),
            account.getString("email"),
            account.getString("fullname"),
            LocalDate.parse(account.getString("dob")),
            account.getString("passwordHash")))
        .map(id -> BusReply.of(Envelope.status(StatusCode.NEW_ACC_OK, "account " + account.getString("user") + " created")));
  }

  private Future<BusReply> wrongAnswer(String connection, PendingCaptchas.Pending captcha) {
    if (captcha.wrongAnswers() + 1 >= maxWrongAnswers) {
      String again = captcha.isLogin() ? "LOGIN" : "SIGNUP";
      return Future.failedFuture(new StatusException(
          StatusCode.RATE_LIMITED, "too many wrong captcha answers; send " + again + " again"));
    }
    Captchas.Captcha fresh = captchas.issue();
    Envelope reply = Envelope.status(StatusCode.CAPTCHA_WRONG, "wrong answer; solve the new challenge");
    reply.data().put("challenge", fresh.challenge());
    return pending.put(connection, captcha.retry(fresh.stored())).map(stored -> BusReply.of(reply));
  }
}
