package io.parley.client.cli;

import io.parley.client.ConnectionClosedException;
import io.parley.client.ParleyStatusException;
import io.parley.shared.protocol.Limits;
import io.parley.shared.protocol.StatusCode;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person reads when something fails: one plain sentence per status code, the server's detail
 * only where it is already plain words (a FORBIDDEN rule, a field's rule), and the protocol code and
 * description only in {@code --verbose} mode, for bug reports.
 */
final class ErrorText {
  private static final Pattern NO_SUCH_USER = Pattern.compile("no such user '([^']*)'");
  private static final Pattern ALREADY_MEMBER = Pattern.compile("'([^']*)' is already a member");
  private static final Pattern NOT_A_MEMBER = Pattern.compile("'([^']*)' is not a member of this room");

  private ErrorText() {}

  static String of(Throwable failure, boolean verbose) {
    if (failure instanceof ParleyStatusException status) {
      String sentence = status.code().map(code -> sentence(code, status.desc())).orElse("The server refused that for a reason this version of parley does not know.");
      return verbose ? sentence + " [" + status.sig() + (status.desc() == null ? "" : ": " + status.desc()) + "]" : sentence;
    }
    if (failure instanceof TimeoutException || failure instanceof ConnectionClosedException) {
      String sentence = "The server did not answer; check that it is running and your connection works.";
      return verbose ? sentence + " [" + failure.getMessage() + "]" : sentence;
    }
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return verbose && !(failure instanceof IllegalArgumentException || failure instanceof IllegalStateException)
        ? message + " [" + failure.getClass().getSimpleName() + "]"
        : message;
  }

  /** The sentence for one code; {@code desc} is used only where the server wrote it for people. */
  static String sentence(StatusCode code, String desc) {
    return switch (code) {
      case BAD_PACKET -> badPacket(desc);
      case UNKNOWN_TYPE -> "This server does not understand that request; it may run an older version.";
      case NOT_AUTHENTICATED -> "You are not logged in on this device; log in first.";
      case NOT_IMPLEMENTED -> "This server does not offer that yet.";
      case CAPTCHA_WRONG -> "The captcha answer was wrong; try the new one.";
      case CAPTCHA_EXPIRED -> "The captcha expired; start again.";
      case USERNAME_TAKEN -> "That username is taken; choose another.";
      case EMAIL_TAKEN -> "An account with that email address exists already.";
      case LOGIN_FAILED -> "Wrong username or password.";
      case ACCOUNT_LOCKED -> "This account is locked by an administrator; ask them to unlock it.";
      case TOKEN_REFUSED -> "Your saved session is no longer valid; log in again.";
      case UNSUPPORTED_FORMAT -> "This server cannot store that kind of message yet.";
      case ROOM_NOT_FOUND -> "No such room, or you are not a member of it.";
      case MESSAGE_NOT_FOUND -> "That message does not exist any more (it may have been deleted).";
      case FORBIDDEN -> "Not allowed" + (desc == null ? "" : ": " + desc) + ".";
      case RATE_LIMITED -> "Too many attempts; wait a little and try again.";
      case TOO_LARGE -> "That is too long for the server (a message may be at most " + Limits.MESSAGE_CONTENT_MAX_BYTES / 1024 + " KB).";
      case UNAVAILABLE -> "The server is busy or partly down; try again in a moment.";
      case INTERNAL_ERROR -> "The server failed unexpectedly; try again, and tell its operator if it persists.";
      case HANDSHAKE_FAILED, PROTOCOL_ERROR -> "The connection to the server broke; parley reconnects by itself.";
      case HANDSHAKE_TIMEOUT, FRAME_TIMEOUT, IDLE_TIMEOUT -> "The connection timed out; parley reconnects by itself.";
      case RECONNECT, SERVER_BUSY, SLOW_READER -> "The server asked parley to reconnect; it does so by itself.";
      case TOO_MANY_CONNECTIONS -> "Too many connections from this address or account; close another parley and retry.";
      case LOGGED_OUT -> "This device was logged out (from another device, or its access was revoked); log in again.";
      case TOKEN_EXPIRED -> "Your session expired; log in again.";
      case DEVICE_TAKEN -> "This device's id belongs to another account; use a new state directory (--home).";
      case DEVICE_NOT_FOUND -> "Your account has no such device; /devices lists them.";
      case LINK_NOT_REQUESTED -> "That device is not waiting to be linked to your account; run /link on it first.";
      case LINK_FULL -> "That device has received all the keys one link can carry; start again with /link on it.";
      case CONN_OK, NEW_ACC_OK, LOGIN_OK, LOGOUT_OK, ROOM_OK, MSG_OK, RECEIPT_OK, DEVICE_REVOKED, ACCOUNT_DELETED, CAPTCHA_OK,
          LINK_REQUESTED, LINK_SENT -> "Done.";
      default -> capitalised(code.meaning()) + ".";
    };
  }

  /** BAD_PACKET names a field and a rule; the rules that people meet get their own sentence. */
  private static String badPacket(String desc) {
    if (desc == null) {
      return "The server refused that request as malformed.";
    }
    Matcher noSuchUser = NO_SUCH_USER.matcher(desc);
    if (noSuchUser.find()) {
      return "There is no user named '" + noSuchUser.group(1) + "'.";
    }
    Matcher already = ALREADY_MEMBER.matcher(desc);
    if (already.find()) {
      return already.group(1) + " is already a member of this room.";
    }
    Matcher notMember = NOT_A_MEMBER.matcher(desc);
    if (notMember.find()) {
      return notMember.group(1) + " is not a member of this room.";
    }
    int colon = desc.indexOf(": ");
    String rule = colon < 0 ? desc : desc.substring(colon + 2);
    String field = colon < 0 ? null : desc.substring(0, colon);
    return field == null ? capitalised(rule) + "." : fieldRule(field, rule);
  }

  /** "The username must be ...": a field's rule as a sentence. */
  static String fieldRule(String field, String rule) {
    return "The " + fieldWord(field) + " " + rule + ".";
  }

  /** {@code actiondata.name} → "name", {@code people[2]} → "person". */
  private static String fieldWord(String path) {
    String last = path.substring(path.lastIndexOf('.') + 1);
    if (last.startsWith("people")) {
      return "person";
    }
    return switch (last) {
      case "user" -> "username";
      case "fullname" -> "full name";
      case "dob" -> "date of birth";
      case "email" -> "email address";
      case "content" -> "message";
      default -> last.replaceAll("\\[\\d+]$", "");
    };
  }

  static String capitalised(String text) {
    return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }
}
