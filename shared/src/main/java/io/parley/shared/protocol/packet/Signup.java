package io.parley.shared.protocol.packet;

import io.parley.shared.protocol.Fields;
import io.parley.shared.protocol.PacketType;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;

/**
 * SIGNUP: a new account's details. Answered by CAPTCHA; the account exists only after S_CAPTCHA.
 *
 * @param user the username, case-folded
 * @param email as written (the auth service compares it case-insensitively)
 * @param fullname trimmed
 * @param dob date of birth
 * @param password as written, never trimmed or folded
 */
public record Signup(String user, String email, String fullname, LocalDate dob, String password)
    implements ClientPacket {

  public static Signup parse(JsonObject data) {
    return parse(data, Clock.systemUTC());
  }

  /** {@code clock} decides what "in the past" means (UTC today), so tests are deterministic. */
  public static Signup parse(JsonObject data, Clock clock) {
    Fields fields = Fields.of(data);
    String user = SignupFields.user(fields);
    String email = SignupFields.email(fields);
    String fullname = SignupFields.fullname(fields);
    LocalDate dob = SignupFields.dob(fields, clock);
    String password = SignupFields.password(fields, user, email);
    return new Signup(user, email, fullname, dob, password);
  }

  @Override
  public PacketType type() {
    return PacketType.SIGNUP;
  }

  @Override
  public JsonObject toData() {
    return new JsonObject()
        .put("user", user)
        .put("email", email)
        .put("fullname", fullname)
        .put("dob", dob.toString())
        .put("password", password);
  }

  /** Never prints the password: records end up in log lines. */
  @Override
  public String toString() {
    return "Signup[user=" + user + ", email=" + email + ", fullname=" + fullname + ", dob=" + dob
        + ", password=***]";
  }
}
