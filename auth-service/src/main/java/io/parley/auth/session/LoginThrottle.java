package io.parley.auth.session;

import io.parley.auth.limits.WindowCounter;
import io.parley.shared.infra.RedisKeys;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;

/**
 * Failed-login limits, per account and per client address, in fixed windows (docs/security.md):
 * once either count reaches its limit, every LOGIN for that account (or from that address) gets
 * RATE_LIMITED without a password check until the window ends. A success clears the account's count.
 */
public final class LoginThrottle {
  private final WindowCounter failures;
  private final int maxPerAccount;
  private final int maxPerAddress;

  public LoginThrottle(WindowCounter failures, int maxPerAccount, int maxPerAddress) {
    this.failures = failures;
    this.maxPerAccount = maxPerAccount;
    this.maxPerAddress = maxPerAddress;
  }

  public Future<Void> checkAllowed(String account, String address) {
    String accountKey = RedisKeys.loginFailuresForAccount(account);
    String addressKey = RedisKeys.loginFailuresForAddress(address);
    return Future.all(failures.count(accountKey), failures.count(addressKey)).compose(counts -> {
      long forAccount = counts.resultAt(0);
      long forAddress = counts.resultAt(1);
      if (forAccount >= maxPerAccount) {
        return refuse(accountKey, "too many failed logins for this account");
      }
      if (forAddress >= maxPerAddress) {
        return refuse(addressKey, "too many failed logins from this address");
      }
      return Future.succeededFuture();
    });
  }

  public Future<Void> recordFailure(String account, String address) {
    return Future.all(
            failures.hit(RedisKeys.loginFailuresForAccount(account)),
            failures.hit(RedisKeys.loginFailuresForAddress(address)))
        .mapEmpty();
  }

  public Future<Void> recordSuccess(String account) {
    return failures.reset(RedisKeys.loginFailuresForAccount(account));
  }

  private Future<Void> refuse(String key, String why) {
    return failures.secondsLeft(key).compose(seconds -> Future.failedFuture(
        new StatusException(StatusCode.RATE_LIMITED, why + "; retry in " + seconds + " s")));
  }
}
