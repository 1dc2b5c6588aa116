package io.parley.auth.signup;

import io.parley.auth.captcha.Captchas;
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
 * S_CAPTCHA → NEW_ACC_OK once the account row is committed; a wrong answer → CAPTCHA_WRONG with a
 * fresh challenge, until too many wrong answers end the attempt. The pending signup is taken
 * atomically, so an answer can be used once, only from the connection that asked, and only while
 * the captcha lives; anything else is CAPTCHA_EXPIRED.
 */
public final class CaptchaAnswerHandler implements RequestHandler {
  private final AccountStore accounts;
  private final Captchas captchas;
  private final PendingSignups pending;
  private final int maxWrongAnswers;

  public CaptchaAnswerHandler(AccountStore accounts, Captchas captchas, PendingSignups pending, int maxWrongAnswers) {
    this.accounts = accounts;
    this.captchas = captchas;
    this.pending = pending;
    this.maxWrongAnswers = maxWrongAnswers;
  }

  @Override
  public Future<BusReply> handle(BusRequest request) {
    SCaptcha answer = SCaptcha.parse(request.data());
    return pending.take(request.connection()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new StatusException(
            StatusCode.CAPTCHA_EXPIRED, "no captcha is pending on this connection; send SIGNUP again"));
      }
      PendingSignups.Pending signup = found.get();
      if (captchas.accepts(signup.captcha(), answer.solved())) {
        return createAccount(signup.account());
      }
      return wrongAnswer(request.connection(), signup);
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

  private Future<BusReply> wrongAnswer(String connection, PendingSignups.Pending signup) {
    int wrong = signup.wrongAnswers() + 1;
    if (wrong >= maxWrongAnswers) {
      return Future.failedFuture(new StatusException(
          StatusCode.RATE_LIMITED, "too many wrong captcha answers; send SIGNUP again"));
    }
    Captchas.Captcha fresh = captchas.issue();
    Envelope reply = Envelope.status(StatusCode.CAPTCHA_WRONG, "wrong answer; solve the new challenge");
    reply.data().put("challenge", fresh.challenge());
    return pending
        .put(connection, new PendingSignups.Pending(fresh.stored(), signup.account(), wrong))
        .map(stored -> BusReply.of(reply));
  }
}
