package io.parley.auth.session;

import io.parley.auth.limits.WindowCounter;
import io.parley.shared.infra.RedisKeys;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.StatusException;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Login attempt limits (docs/security.md §1, "Login throttling"). Every attempt is reserved in Redis
 * before its password is checked (INCR, then the check), so a burst of concurrent LOGINs is counted in
 * full instead of all passing a count read before any failure was recorded. A success refunds its own
 * attempt; failures stay counted until the window ends.
 *
 * <ul>
 *   <li>Per address: a hard limit. Past it, every LOGIN from that address is RATE_LIMITED without a
 *       password check until the window ends.
 *   <li>Per account: a captcha threshold, not a lock. Past it, a LOGIN from an address that has logged
 *       into this account before is checked as usual (the owner is never locked out by someone
 *       else's guesses); from any other address it is answered with a captcha, and a solved captcha
 *       buys exactly one password check on that connection.
 * </ul>
 */
public final class LoginThrottle {
  /** What to do with a LOGIN that passed the hard limits. */
  public enum Admission {
    /** Check the password; the attempt is counted. */
    CHECK_PASSWORD,
    /** Ask for a captcha first; nothing was counted. */
    NEEDS_CAPTCHA
  }

  private final WindowCounter attempts;
  private final RedisAPI redis;
  private final int captchaThresholdPerAccount;
  private final int maxPerAddress;
  private final Duration knownAddressTtl;
  private final Duration passTtl;

  public LoginThrottle(
      WindowCounter attempts,
      RedisAPI redis,
      int captchaThresholdPerAccount,
      int maxPerAddress,
      Duration knownAddressTtl,
      Duration passTtl) {
    this.attempts = attempts;
    this.redis = redis;
    this.captchaThresholdPerAccount = captchaThresholdPerAccount;
    this.maxPerAddress = maxPerAddress;
    this.knownAddressTtl = knownAddressTtl;
    this.passTtl = passTtl;
  }

  /**
   * Reserves this attempt, or fails with RATE_LIMITED when the address is over its limit.
   *
   * @param account the username, or the login id itself when no account has it (unknown ids are
   *     throttled under their own name, so probing them is limited the same way)
   */
  public Future<Admission> admit(String account, String address, String connection) {
    String addressKey = RedisKeys.loginFailuresForAddress(address);
    String accountKey = RedisKeys.loginFailuresForAccount(account);
    return attempts.reserve(addressKey, maxPerAddress).compose(withinAddressLimit -> {
      if (!withinAddressLimit) {
        return attempts.secondsLeft(addressKey).compose(seconds -> Future.failedFuture(new StatusException(
            StatusCode.RATE_LIMITED, "too many failed logins from this address; retry in " + seconds + " s")));
      }
      return attempts.hit(accountKey).compose(count -> count <= captchaThresholdPerAccount
          ? Future.succeededFuture(Admission.CHECK_PASSWORD)
          : mayPassThreshold(account, address, connection).compose(may -> may
              ? Future.succeededFuture(Admission.CHECK_PASSWORD)
              : refund(account, address).map(Admission.NEEDS_CAPTCHA)));
    });
  }

  /** The password was right: the attempt is refunded and the address remembered for this account. */
  public Future<Void> succeeded(String account, String address) {
    Future<Void> known =
        redis.set(List.of(RedisKeys.knownLoginAddress(account, addressDigest(account, address)), "1",
            "PX", Long.toString(knownAddressTtl.toMillis()))).mapEmpty();
    return Future.all(refund(account, address), known).mapEmpty();
  }

  /** The password could not be checked (the hashing pool was full): the attempt does not count. */
  public Future<Void> notChecked(String account, String address) {
    return refund(account, address);
  }

  /** A LOGIN captcha was solved on this connection: its next LOGIN for {@code account} is checked. */
  public Future<Void> captchaSolved(String connection, String account) {
    return redis.set(List.of(RedisKeys.loginCaptchaPass(connection), account, "PX", Long.toString(passTtl.toMillis()))).mapEmpty();
  }

  /** A known address passes without using anything up; otherwise a solved captcha is used up here. */
  private Future<Boolean> mayPassThreshold(String account, String address, String connection) {
    return redis.exists(List.of(RedisKeys.knownLoginAddress(account, addressDigest(account, address)))).compose(known -> known.toLong() > 0
        ? Future.succeededFuture(true)
        : redis.getdel(RedisKeys.loginCaptchaPass(connection)).map(pass -> pass != null && account.equals(pass.toString())));
  }

  private Future<Void> refund(String account, String address) {
    return Future.all(
            attempts.refund(RedisKeys.loginFailuresForAccount(account)),
            attempts.refund(RedisKeys.loginFailuresForAddress(address)))
        .mapEmpty();
  }

  /**
   * Known addresses are stored as a digest of account and address, so the key set is not a plain
   * list of where each user logs in from. (An IPv4 digest can be reversed by trying every address;
   * this keeps the list out of casual view, not out of reach of someone who holds Redis.)
   */
  static String addressDigest(String account, String address) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest((account + "\n" + address).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
