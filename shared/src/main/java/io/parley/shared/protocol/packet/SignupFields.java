package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.Limits;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;

/**
 * The rules of each SIGNUP field, in one place: {@link Signup#parse} applies them to a packet and a
 * client applies them to each answer as a person types it, so a sign-up form refuses exactly what the
 * server would, field by field. Each method returns the value in canonical form or throws {@link
 * BadPacketException} naming the field and a reason a person can act on.
 */
public final class SignupFields {
  public static final String USER = "user";
  public static final String EMAIL = "email";
  public static final String FULLNAME = "fullname";
  public static final String DOB = "dob";
  public static final String PASSWORD = "password";

  private SignupFields() {}

  /** The username, case-folded. */
  public static String user(String typed) {
    return user(one(USER, typed));
  }

  public static String email(String typed) {
    return email(one(EMAIL, typed));
  }

  /** The display name, trimmed. */
  public static String fullname(String typed) {
    return fullname(one(FULLNAME, typed));
  }

  /** A date of birth written YYYY-MM-DD, in the past (UTC today per {@code clock}) and not before 1900. */
  public static LocalDate dob(String typed, Clock clock) {
    return dob(one(DOB, typed), clock);
  }

  /** The password as written; it must not equal the (folded) username or the email address. */
  public static String password(String typed, String user, String email) {
    return password(one(PASSWORD, typed), user, email);
  }

  static String user(Fields fields) {
    return fields.username(USER);
  }

  static String email(Fields fields) {
    return fields.required(EMAIL).email();
  }

  static String fullname(Fields fields) {
    return fields.required(FULLNAME).displayText(1, Limits.FULLNAME_MAX_CHARS);
  }

  static LocalDate dob(Fields fields, Clock clock) {
    LocalDate dob = fields.isoDate(DOB);
    if (!dob.isBefore(LocalDate.now(clock))) {
      throw new BadPacketException(DOB, "must be in the past");
    }
    if (dob.isBefore(Limits.DOB_EARLIEST)) {
      throw new BadPacketException(DOB, "must not be before " + Limits.DOB_EARLIEST);
    }
    return dob;
  }

  static String password(Fields fields, String user, String email) {
    String password = fields.string(PASSWORD, Limits.PASSWORD_MIN_CHARS, Limits.PASSWORD_MAX_CHARS);
    if (password.equalsIgnoreCase(user)) {
      throw new BadPacketException(PASSWORD, "must not equal the username");
    }
    if (password.equalsIgnoreCase(email)) {
      throw new BadPacketException(PASSWORD, "must not equal the email address");
    }
    return password;
  }

  private static Fields one(String name, String typed) {
    return Fields.of(new JsonObject().put(name, typed));
  }
}
