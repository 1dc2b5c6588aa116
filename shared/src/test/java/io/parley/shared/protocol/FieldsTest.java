package io.parley.shared.protocol;

import static io.parley.shared.protocol.Wire.badPacket;
import static io.parley.shared.protocol.Wire.ciphertext;
import static io.parley.shared.protocol.Wire.data;
import static io.parley.shared.protocol.Wire.refused;
import static io.parley.shared.protocol.Wire.x25519Pem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldsTest {

  private enum Colour {
    RED,
    GREEN
  }

  private static Fields fields(String json) {
    return Fields.of(data(json));
  }

  @Test
  @DisplayName("an absent field and a null field are both 'required'")
  void absentAndNullAreRequired() {
    assertThat(badPacket("name", () -> fields("{}").string("name", 1, 5))).isEqualTo("required");
    assertThat(badPacket("name", () -> fields("{'name':null}").string("name", 1, 5)))
        .isEqualTo("required");
    assertThat(fields("{'name':null}").optionalString("name", 1, 5)).isEmpty();
  }

  @Test
  @DisplayName("a number where a string is expected → BAD_PACKET naming the field and the JSON type")
  void wrongJsonType() {
    assertThat(badPacket("name", () -> fields("{'name':42}").string("name", 1, 5)))
        .isEqualTo("must be a string, got a number");
    badPacket("name", () -> fields("{'name':['a']}").string("name", 1, 5));
    badPacket("flag", () -> fields("{'flag':'true'}").bool("flag"));
    badPacket("n", () -> fields("{'n':'3'}").integer("n", 1, 5));
    badPacket("o", () -> fields("{'o':'x'}").object("o"));
    badPacket("a", () -> fields("{'a':{}}").array("a", 0, 5, v -> v));
  }

  @Test
  @DisplayName("lengths are counted in characters (code points), not UTF-16 units or bytes")
  void lengthInCharacters() {
    String fiveEmoji = "😀😀😀😀😀";
    assertThat(Fields.of(new JsonObject().put("s", fiveEmoji)).string("s", 1, 5)).isEqualTo(fiveEmoji);
    assertThat(badPacket("s", () -> Fields.of(new JsonObject().put("s", fiveEmoji)).string("s", 1, 4)))
        .isEqualTo("must be 1–4 characters, got 5");
    assertThat(badPacket("s", () -> fields("{'s':''}").string("s", 1, 4))).isEqualTo("must not be empty");
  }

  @Test
  @DisplayName("integers: whole numbers in range only; fractions and huge numbers refused")
  void integers() {
    assertThat(fields("{'n':5}").integer("n", 1, 5)).isEqualTo(5);
    assertThat(badPacket("n", () -> fields("{'n':6}").integer("n", 1, 5)))
        .isEqualTo("must be a whole number from 1 to 5");
    assertThat(badPacket("n", () -> fields("{'n':2.0}").integer("n", 1, 5))).contains("fraction");
    badPacket("n", () -> fields("{'n':99999999999999999999999}").integer("n", 1, 5));
    badPacket("n", () -> fields("{'n':4294967297}").integer("n", 1, 5));
  }

  @Test
  @DisplayName("booleans: true/false, with a default when absent")
  void booleans() {
    assertThat(fields("{}").bool("b", false)).isFalse();
    assertThat(fields("{'b':true}").bool("b", false)).isTrue();
    badPacket("b", () -> fields("{'b':1}").bool("b", false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192", "0190A3C4-7E1F-7D2A-9B3C-4D5E6F708192"})
  @DisplayName("a canonical UUID in either case is accepted")
  void uuids(String text) {
    assertThat(fields("{'id':'" + text + "'}").uuid("id"))
        .isEqualTo(UUID.fromString("0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1-1-1-1-1", "0190a3c47e1f7d2a9b3c4d5e6f708192", "not-a-uuid", "", " 0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192",
      "0190a3c4-7e1f-7d2a-9b3c-4d5e6f70819g", "0190a3c4-7e1f-7d2a-9b3c-4d5e6f70819\u0663", "0190a3c4-7e1f-7d2a-9b3c-4d5e6f70819\uff11",
      "0190a3c47-e1f-7d2a-9b3c-4d5e6f708192", "0190a3c4-7e1f-7d2a-9b3c-4d5e6f7081920"})
  @DisplayName("anything but a canonical UUID is BAD_PACKET (java.util.UUID alone is too lenient)")
  void badUuids(String text) {
    badPacket("id", () -> fields("{'id':'" + text + "'}").uuid("id"));
  }

  @Test
  @DisplayName("dates: YYYY-MM-DD that exists")
  void dates() {
    assertThat(fields("{'d':'2024-02-29'}").isoDate("d")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(badPacket("d", () -> fields("{'d':'2023-02-29'}").isoDate("d"))).isEqualTo("is not a real date");
    assertThat(badPacket("d", () -> fields("{'d':'17/05/1990'}").isoDate("d"))).contains("YYYY-MM-DD");
    badPacket("d", () -> fields("{'d':'+1990-05-17'}").isoDate("d"));
    badPacket("d", () -> fields("{'d':'1990-5-17'}").isoDate("d"));
  }

  @Test
  @DisplayName("an unknown word is quoted back with the accepted ones")
  void enums() {
    assertThat(fields("{'colour':'GREEN'}").oneOf("colour", Colour.values(), Colour::name)).isEqualTo(Colour.GREEN);
    assertThat(badPacket("colour", () -> fields("{'colour':'BLUE'}").oneOf("colour", Colour.values(), Colour::name)))
        .isEqualTo("unknown colour 'BLUE', expected one of RED, GREEN");
    assertThat(badPacket("colour", () -> fields("{'colour':1}").oneOf("colour", Colour.values(), Colour::name)))
        .isEqualTo("must be a string, one of RED, GREEN");
  }

  @Test
  @DisplayName("a quoted value is shortened and stripped of control characters")
  void quoting() {
    String reason =
        badPacket("colour", () -> Fields.of(new JsonObject().put("colour", "x\n" + "y".repeat(100)))
            .oneOf("colour", Colour.values(), Colour::name));
    assertThat(reason).startsWith("unknown colour 'x?yyy").contains("…'").doesNotContain("\n");
    assertThat(reason.length()).isLessThan(100);
  }

  @Test
  @DisplayName("array items and nested fields are named by their path: list[1], outer.inner, outer.list[0]")
  void paths() {
    badPacket("list[1]", () -> fields("{'list':['a', 3]}").array("list", 0, 5, v -> v.string(1, 5)));
    badPacket("list[0]", () -> fields("{'list':[null]}").array("list", 0, 5, v -> v.string(1, 5)));
    badPacket("outer.inner", () -> fields("{'outer':{'inner':true}}").object("outer").string("inner", 1, 5));
    badPacket("outer.list[0]", () -> fields("{'outer':{'list':['']}}").object("outer").array("list", 1, 5, v -> v.string(1, 5)));
    assertThat(badPacket("list", () -> fields("{'list':[]}").array("list", 1, 5, v -> v))).isEqualTo("must have 1–5 entries, got 0");
  }

  @Test
  @DisplayName("usernames fold ASCII case; anything outside [a-z0-9_.] is refused, look-alikes included")
  void usernames() {
    assertThat(fields("{'u':'Alice_B.2'}").username("u")).isEqualTo("alice_b.2");
    assertThat(badPacket("u", () -> fields("{'u':'al ice'}").username("u"))).isEqualTo("may contain only letters a-z, digits, '_' and '.'");
    badPacket("u", () -> fields("{'u':'ab'}").username("u"));
    badPacket("u", () -> fields("{'u':'" + "a".repeat(33) + "'}").username("u"));
    badPacket("u", () -> Fields.of(new JsonObject().put("u", "\u212Aelvin")).username("u")); // Kelvin sign
    badPacket("u", () -> fields("{'u':'jos\u00e9'}").username("u"));
  }

  @Test
  @DisplayName("a list of usernames refuses the same person twice, after folding")
  void usernameLists() {
    assertThat(fields("{'p':['bob','carol']}").required("p").usernames(1, 3)).isEqualTo(List.of("bob", "carol"));
    assertThat(badPacket("p[2]", () -> fields("{'p':['bob','carol','BOB']}").required("p").usernames(1, 3)))
        .isEqualTo("names the same person as p[0]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a@b.c", "first.last+tag@mail.example.org", "USER@EXAMPLE.COM"})
  @DisplayName("plausible email addresses are accepted as written")
  void emails(String email) {
    assertThat(fields("{'e':'" + email + "'}").required("e").email()).isEqualTo(email);
  }

  @ParameterizedTest
  @ValueSource(strings = {"plainaddress", "a@@b.c", "a@b@c.d", "@example.org", "a@localhost", "a@.org", "a@example.", "a b@example.org", ""})
  @DisplayName("email typing mistakes are BAD_PACKET")
  void badEmails(String email) {
    badPacket("e", () -> fields("{'e':'" + email + "'}").required("e").email());
  }

  @Test
  @DisplayName("base64: decoded size bounds, over the limit is TOO_LARGE, not base64 is BAD_PACKET")
  void base64() {
    assertThat(fields("{'c':'" + ciphertext(16) + "'}").required("c").base64(1, 16)).isEqualTo(ciphertext(16));
    refused(StatusCode.TOO_LARGE, "c", () -> fields("{'c':'" + ciphertext(17) + "'}").required("c").base64(1, 16));
    refused(StatusCode.TOO_LARGE, "c", () -> fields("{'c':'" + ciphertext(1000) + "'}").required("c").base64(1, 16));
    assertThat(badPacket("c", () -> fields("{'c':'not base64!'}").required("c").base64(1, 16))).contains("base64");
    assertThat(badPacket("c", () -> fields("{'c':''}").required("c").base64(1, 16))).isEqualTo("must not be empty");
  }

  @Test
  @DisplayName("a PEM public key is accepted as written; other armour, empty or non-base64 bodies are not")
  void pem() {
    String pem = x25519Pem();
    assertThat(Fields.of(new JsonObject().put("k", pem)).required("k").publicKeyPem()).isEqualTo(pem);
    String crlf = pem.replace("\n", "\r\n");
    assertThat(Fields.of(new JsonObject().put("k", crlf)).required("k").publicKeyPem()).isEqualTo(crlf);
    for (String bad :
        List.of(
            "MCowBQYDK2VuAyEA",
            pem.replace("PUBLIC KEY", "PRIVATE KEY"),
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\n" + "A".repeat(1024) + "\n-----END PUBLIC KEY-----")) {
      badPacket("k", () -> Fields.of(new JsonObject().put("k", bad)).required("k").publicKeyPem());
    }
  }

  @Test
  @DisplayName("display text is trimmed, must not be blank and must not hold control characters")
  void displayText() {
    assertThat(fields("{'t':'  Ada Lovelace '}").required("t").displayText(1, 20)).isEqualTo("Ada Lovelace");
    assertThat(badPacket("t", () -> fields("{'t':'   '}").required("t").displayText(1, 20))).isEqualTo("must not be blank");
    assertThat(badPacket("t", () -> Fields.of(new JsonObject().put("t", "Ada\tL")).required("t").displayText(1, 20)))
        .contains("control characters");
  }
}
