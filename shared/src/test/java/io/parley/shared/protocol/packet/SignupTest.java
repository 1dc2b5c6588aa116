package io.parley.shared.protocol.packet;

import static io.parley.shared.protocol.Wire.badPacket;
import static io.parley.shared.protocol.Wire.data;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SignupTest {

  /** "Today" for these tests: 2026-03-01 UTC. */
  private static final Clock TODAY = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  private static JsonObject valid() {
    return data(
        "{'user':'Ada.L','email':'ada@example.org','fullname':'  Ada Lovelace ',"
            + "'dob':'1990-05-17','password':'correct horse battery'}");
  }

  private static Signup parse(JsonObject data) {
    return Signup.parse(data, TODAY);
  }

  private static JsonObject with(String field, Object value) {
    return valid().put(field, value);
  }

  @Test
  @DisplayName("a valid signup parses with the username folded and the name trimmed, and round-trips")
  void validSignup() {
    Signup signup = parse(valid());
    assertThat(signup)
        .isEqualTo(new Signup("ada.l", "ada@example.org", "Ada Lovelace", LocalDate.of(1990, 5, 17),
            "correct horse battery"));
    assertThat(parse(signup.toData())).isEqualTo(signup);
    assertThat(signup.toString()).doesNotContain("correct horse");
  }

  @Test
  @DisplayName("a signup without a user → BAD_PACKET user: required")
  void missingUser() {
    JsonObject data = valid();
    data.remove("user");
    assertThat(badPacket("user", () -> parse(data))).isEqualTo("required");
  }

  @Test
  @DisplayName("a username of 2 or 33 characters → BAD_PACKET user")
  void usernameLength() {
    badPacket("user", () -> parse(with("user", "ab")));
    badPacket("user", () -> parse(with("user", "a".repeat(33))));
    assertThat(parse(with("user", "abc")).user()).isEqualTo("abc");
    assertThat(parse(with("user", "a".repeat(32))).user()).hasSize(32);
  }

  @Test
  @DisplayName("a username with a space, a dash or an accent → BAD_PACKET user")
  void usernameAlphabet() {
    badPacket("user", () -> parse(with("user", "ada lovelace")));
    badPacket("user", () -> parse(with("user", "ada-l")));
    badPacket("user", () -> parse(with("user", "adé")));
  }

  @Test
  @DisplayName("a username sent as a number → BAD_PACKET user")
  void usernameWrongType() {
    assertThat(badPacket("user", () -> parse(with("user", 12345)))).contains("got a number");
  }

  @Test
  @DisplayName("an email without '@', with two, without a dotted domain or with spaces → BAD_PACKET email")
  void badEmail() {
    badPacket("email", () -> parse(with("email", "ada.example.org")));
    badPacket("email", () -> parse(with("email", "ada@@example.org")));
    badPacket("email", () -> parse(with("email", "ada@example")));
    badPacket("email", () -> parse(with("email", "ada @example.org")));
    badPacket("email", () -> parse(with("email", "@example.org")));
  }

  @Test
  @DisplayName("an email of 255 characters → BAD_PACKET email; 254 is fine")
  void emailLength() {
    String domain = "@example.org";
    badPacket("email", () -> parse(with("email", "a".repeat(255 - domain.length()) + domain)));
    assertThat(parse(with("email", "a".repeat(254 - domain.length()) + domain)).email()).hasSize(254);
  }

  @Test
  @DisplayName("a blank, over-long or multi-line full name → BAD_PACKET fullname")
  void badFullname() {
    assertThat(badPacket("fullname", () -> parse(with("fullname", "   ")))).isEqualTo("must not be blank");
    badPacket("fullname", () -> parse(with("fullname", "x".repeat(257))));
    badPacket("fullname", () -> parse(with("fullname", "Ada\nLovelace")));
    assertThat(parse(with("fullname", " " + "x".repeat(256) + " ")).fullname()).hasSize(256);
  }

  @Test
  @DisplayName("a dob that is not YYYY-MM-DD or not a real date → BAD_PACKET dob")
  void badDobFormat() {
    badPacket("dob", () -> parse(with("dob", "17.05.1990")));
    assertThat(badPacket("dob", () -> parse(with("dob", "1990-02-30")))).isEqualTo("is not a real date");
    badPacket("dob", () -> parse(with("dob", 19900517)));
  }

  @Test
  @DisplayName("a dob today or in the future → BAD_PACKET dob: must be in the past")
  void dobNotInPast() {
    assertThat(badPacket("dob", () -> parse(with("dob", "2026-03-01")))).isEqualTo("must be in the past");
    badPacket("dob", () -> parse(with("dob", "2031-01-01")));
    assertThat(parse(with("dob", "2026-02-28")).dob()).isEqualTo(LocalDate.of(2026, 2, 28));
  }

  @Test
  @DisplayName("a dob before 1900-01-01 → BAD_PACKET dob")
  void dobTooEarly() {
    badPacket("dob", () -> parse(with("dob", "1899-12-31")));
    assertThat(parse(with("dob", "1900-01-01")).dob()).isEqualTo(LocalDate.of(1900, 1, 1));
  }

  @Test
  @DisplayName("a password of 7 or 385 characters → BAD_PACKET password; 8 and 384 are fine")
  void passwordLength() {
    badPacket("password", () -> parse(with("password", "1234567")));
    badPacket("password", () -> parse(with("password", "p".repeat(385))));
    assertThat(parse(with("password", "12345678")).password()).hasSize(8);
    assertThat(parse(with("password", "p".repeat(384))).password()).hasSize(384);
  }

  @Test
  @DisplayName("a signup whose password equals the username (in any case) → BAD_PACKET password")
  void passwordEqualsUsername() {
    JsonObject data = valid().put("user", "adalovelace").put("password", "AdaLovelace");
    assertThat(badPacket("password", () -> parse(data))).isEqualTo("must not equal the username");
  }

  @Test
  @DisplayName("a signup whose password equals the email (in any case) → BAD_PACKET password")
  void passwordEqualsEmail() {
    JsonObject data = valid().put("password", "ADA@example.org");
    assertThat(badPacket("password", () -> parse(data))).isEqualTo("must not equal the email address");
  }

  @Test
  @DisplayName("a password is never echoed in a reason")
  void passwordNotEchoed() {
    String reason = badPacket("password", () -> parse(with("password", "secret7")));
    assertThat(reason).doesNotContain("secret7");
  }
}
