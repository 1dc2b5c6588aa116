package io.parley.shared.infra;

/**
 * Every Redis key Parley writes, named once. Redis holds only short-lived or rebuildable state;
 * PostgreSQL stays the source of truth (DESIGN §4).
 */
public final class RedisKeys {
  private RedisKeys() {}

  /** The pending signup or login and its captcha, bound to one connection; JSON, expires with the captcha. */
  public static String captcha(String connection) {
    return "parley:captcha:" + connection;
  }

  /** After LOGIN on a connection: the user and the `save` choice, read when CHAT_ENCRYPT_C asks for a token. */
  public static String loginContext(String connection) {
    return "parley:login:" + connection;
  }

  /** Login attempts for one account (or for one unknown login id) in the current window, successes refunded. */
  public static String loginFailuresForAccount(String account) {
    return "parley:loginfail:account:" + account;
  }

  /** Login attempts from one client address in the current window, successes refunded. */
  public static String loginFailuresForAddress(String address) {
    return "parley:loginfail:addr:" + address;
  }

  /**
   * A successful login of this account from one address (identified by a digest, not the address
   * itself); its existence lets that address past the per-account captcha threshold.
   */
  public static String knownLoginAddress(String account, String addressDigest) {
    return "parley:loginknown:" + account + ":" + addressDigest;
  }

  /** A solved LOGIN captcha on one connection: the account it admits one more password check for. */
  public static String loginCaptchaPass(String connection) {
    return "parley:loginpass:" + connection;
  }

  /** SIGNUP requests from one client address in the current window. */
  public static String signupsForAddress(String address) {
    return "parley:signups:addr:" + address;
  }

  /** A revoked token id; expires when the token would have. */
  public static String revokedToken(String tokenId) {
    return "parley:revoked:" + tokenId;
  }

  /**
   * Present while the revocation cache holds every revoked, unexpired token that PostgreSQL holds:
   * set by the auth service after it refills the cache, deleted when a revocation could not be
   * written. Without it a missing {@link #revokedToken} key proves nothing.
   */
  public static String revocationsComplete() {
    return "parley:revoked:complete";
  }

  /** Hash of an online user's devices: device uuid → gateway node holding its connection. */
  public static String presence(String user) {
    return "parley:presence:" + user;
  }

  /**
   * One gateway instance's proof that Redis still holds the presence entries it wrote: set at each
   * presence refresh with their expiry ({@code Presence#markerPresent}).
   */
  public static String presenceMarker(String instance) {
    return "parley:presence-marker:" + instance;
  }

  /**
   * Packets one budget key ({@code user:NAME} or {@code ip:ADDRESS}) sent in one second, summed over
   * the gateways that each sent a noticeable share of it; expires two seconds later.
   */
  public static String packetBudget(String key, long epochSecond) {
    return "parley:budget:" + key + ":" + epochSecond;
  }
}
