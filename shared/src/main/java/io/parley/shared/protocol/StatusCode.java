package io.parley.shared.protocol;

import java.util.Optional;

/**
 * The {@code sig} values of STATUS packets: one stable list for the whole system. Clients switch on
 * these names, so a name never changes meaning once released; new situations get new names.
 */
public enum StatusCode {
  // Success.
  CONN_OK(true, "the secure channel is established"),
  NEW_ACC_OK(true, "the account was created"),
  LOGIN_OK(true, "this connection is authenticated"),
  LOGOUT_OK(true, "the device token was revoked; the connection is no longer authenticated"),
  ROOM_OK(true, "the room change was applied"),
  MSG_OK(true, "the chat action was committed"),
  RECEIPT_OK(true, "the read pointer was stored"),
  DEVICE_REVOKED(true, "the device's tokens were revoked and its connections logged out"),
  ACCOUNT_DELETED(true, "the account, its devices, keys and sessions are gone; its messages are tombstones; the connection is no longer authenticated"),
  LINK_REQUESTED(true, "this device's link request is recorded; another device of the account may now send it a LINK_BLOB"),
  LINK_SENT(true, "the blob is stored for the target device, which reads it with LINK_FETCH"),

  // Request errors: the connection stays open.
  BAD_PACKET(false, "a field is missing, has the wrong type or breaks a rule; desc names it"),
  UNKNOWN_TYPE(false, "no client packet has this type"),
  NOT_AUTHENTICATED(false, "authenticate with AUTH_TOKEN or LOGIN first"),
  NOT_IMPLEMENTED(false, "the server does not offer this yet"),
  CAPTCHA_WRONG(false, "the captcha answer was wrong; the reply carries a fresh challenge"),
  CAPTCHA_EXPIRED(false, "no captcha is pending on this connection (expired, used, or never issued); send SIGNUP (or LOGIN) again"),
  USERNAME_TAKEN(false, "an account with this username exists"),
  EMAIL_TAKEN(false, "an account with this email exists"),
  LOGIN_FAILED(false, "unknown user or wrong password"),
  ACCOUNT_LOCKED(false, "the account is locked by an administrator; the password was right, but it cannot log in until it is unlocked"),
  TOKEN_REFUSED(false, "the token is invalid, expired, revoked, or not for this user and device; log in again"),
  UNSUPPORTED_FORMAT(false, "this message format is not supported yet"),
  ROOM_NOT_FOUND(false, "no such room, or the caller is not a member"),
  MESSAGE_NOT_FOUND(false, "no such message in this room, or it was deleted"),
  FORBIDDEN(false, "the caller's role does not allow this"),
  RATE_LIMITED(false, "too many requests; retry later"),
  TOO_LARGE(false, "a value or frame is over its size limit"),
  UNAVAILABLE(false, "the owning service did not answer in time, cannot reach a database, or is busy; retry with the same id"),
  INTERNAL_ERROR(false, "an unexpected server fault; desc holds a correlation id for the logs"),

  // Connection-ending statuses: the server sends one, then closes.
  HANDSHAKE_FAILED(false, "the handshake broke the protocol; desc says how"),
  HANDSHAKE_TIMEOUT(false, "the handshake did not finish in time"),
  PROTOCOL_ERROR(false, "the peer broke the record or packet layer; the connection closes"),
  IDLE_TIMEOUT(false, "the connection was idle too long"),
  RECONNECT(false, "the channel reached its record limit or the server is draining; reconnect"),
  TOO_MANY_CONNECTIONS(false, "over a connection limit for this address, account or device, or the gateway is full; retry later"),
  FRAME_TIMEOUT(false, "a frame was started but not finished in time"),
  SERVER_BUSY(false, "the gateway shed this connection to protect others (handshake slots or partial-frame memory); reconnect"),
  SLOW_READER(false, "the client stopped reading and its write queue filled; reconnect and sync"),
  LOGGED_OUT(false, "this connection's authentication was revoked (LOGOUT elsewhere, REVOKE_DEVICE); log in again"),
  TOKEN_EXPIRED(false, "the token this connection authenticated with has expired; log in again"),
  DEVICE_TAKEN(false, "this device id belongs to another account; use a new device id"),
  DEVICE_NOT_FOUND(false, "the account has no such device"),
  LINK_NOT_REQUESTED(false, "the target is not a device of this account with a live link request (or is the caller itself)"),
  LINK_FULL(false, "the target's link request already holds the most blobs one request may receive"),
  CAPTCHA_OK(true, "the LOGIN captcha was solved; send the LOGIN again on this connection");

  private final boolean success;
  private final String meaning;

  StatusCode(boolean success, String meaning) {
    this.success = success;
    this.meaning = meaning;
  }

  public boolean isSuccess() {
    return success;
  }

  /** One line for docs and for a default {@code desc}. */
  public String meaning() {
    return meaning;
  }

  public static Optional<StatusCode> fromWire(String sig) {
    for (StatusCode code : values()) {
      if (code.name().equals(sig)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }
}
