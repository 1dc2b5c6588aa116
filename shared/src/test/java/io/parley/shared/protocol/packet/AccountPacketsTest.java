package io.parley.shared.protocol.packet;

import static io.parley.shared.protocol.Wire.badPacket;
import static io.parley.shared.protocol.Wire.data;
import static io.parley.shared.protocol.Wire.x25519Pem;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S_CAPTCHA, LOGIN, CHAT_ENCRYPT_C, AUTH_TOKEN, LOGOUT. */
class AccountPacketsTest {

  @Test
  @DisplayName("S_CAPTCHA {solved} parses and round-trips")
  void captchaAnswer() {
    SCaptcha answer = SCaptcha.parse(data("{'solved':'x7Kp2'}"));
    assertThat(answer.solved()).isEqualTo("x7Kp2");
    assertThat(SCaptcha.parse(answer.toData())).isEqualTo(answer);
  }

  @Test
  @DisplayName("an S_CAPTCHA that is empty, missing, too long or a number → BAD_PACKET solved")
  void badCaptchaAnswer() {
    badPacket("solved", () -> SCaptcha.parse(data("{'solved':''}")));
    badPacket("solved", () -> SCaptcha.parse(data("{}")));
    badPacket("solved", () -> SCaptcha.parse(new JsonObject().put("solved", "9".repeat(257))));
    badPacket("solved", () -> SCaptcha.parse(data("{'solved':12345}")));
  }

  @Test
  @DisplayName("LOGIN by username or email parses and round-trips; save defaults to false")
  void login() {
    Login byName = Login.parse(data("{'id':'Ada.L','password':'correct horse','save':true}"));
    assertThat(byName).isEqualTo(new Login("Ada.L", "correct horse", true));
    assertThat(byName.lookupKey()).isEqualTo("ada.l");
    assertThat(byName.isEmail()).isFalse();
    assertThat(Login.parse(byName.toData())).isEqualTo(byName);

    Login byEmail = Login.parse(data("{'id':'ada@example.org','password':'correct horse'}"));
    assertThat(byEmail.save()).isFalse();
    assertThat(byEmail.isEmail()).isTrue();
    assertThat(Login.parse(byEmail.toData())).isEqualTo(byEmail);
    assertThat(byEmail.toString()).doesNotContain("correct horse");
  }

  @Test
  @DisplayName("a LOGIN with an empty or over-long id → BAD_PACKET id")
  void badLoginId() {
    badPacket("id", () -> Login.parse(data("{'id':'','password':'pw'}")));
    badPacket("id", () -> Login.parse(new JsonObject().put("id", "a".repeat(255)).put("password", "pw")));
  }

  @Test
  @DisplayName("a LOGIN with an empty or 385-character password → BAD_PACKET password")
  void badLoginPassword() {
    badPacket("password", () -> Login.parse(data("{'id':'ada','password':''}")));
    badPacket("password", () -> Login.parse(new JsonObject().put("id", "ada").put("password", "p".repeat(385))));
  }

  @Test
  @DisplayName("a LOGIN with save 'yes' or 1 → BAD_PACKET save")
  void badLoginSave() {
    assertThat(badPacket("save", () -> Login.parse(data("{'id':'ada','password':'pw','save':'yes'}"))))
        .isEqualTo("must be true or false");
    badPacket("save", () -> Login.parse(data("{'id':'ada','password':'pw','save':1}")));
  }

  @Test
  @DisplayName("CHAT_ENCRYPT_C with a real X25519 PEM parses and round-trips")
  void chatKey() {
    String pem = x25519Pem();
    ChatEncryptC packet = ChatEncryptC.parse(new JsonObject().put("chat_pubkey", pem));
    assertThat(packet.chatPubkey()).isEqualTo(pem);
    assertThat(ChatEncryptC.parse(packet.toData())).isEqualTo(packet);
  }

  @Test
  @DisplayName("CHAT_ENCRYPT_C with a missing, non-PEM or 1025-character key → BAD_PACKET chat_pubkey")
  void badChatKey() {
    badPacket("chat_pubkey", () -> ChatEncryptC.parse(data("{}")));
    badPacket("chat_pubkey", () -> ChatEncryptC.parse(data("{'chat_pubkey':'MCowBQYDK2VuAyEA'}")));
    String tooLong = x25519Pem().replace("-----END", "A".repeat(1025) + "\n-----END");
    badPacket("chat_pubkey", () -> ChatEncryptC.parse(new JsonObject().put("chat_pubkey", tooLong)));
  }

  @Test
  @DisplayName("AUTH_TOKEN {user, token} folds the username and round-trips")
  void authToken() {
    AuthToken packet = AuthToken.parse(data("{'user':'Ada.L','token':'tok-123'}"));
    assertThat(packet).isEqualTo(new AuthToken("ada.l", "tok-123"));
    assertThat(AuthToken.parse(packet.toData())).isEqualTo(packet);
    assertThat(packet.toString()).doesNotContain("tok-123");
  }

  @Test
  @DisplayName("an AUTH_TOKEN whose user breaks the username rules → BAD_PACKET user")
  void badAuthTokenUser() {
    badPacket("user", () -> AuthToken.parse(data("{'user':'a b','token':'t'}")));
  }

  @Test
  @DisplayName("an AUTH_TOKEN whose token is empty or over 4096 characters → BAD_PACKET token")
  void badAuthTokenToken() {
    badPacket("token", () -> AuthToken.parse(data("{'user':'ada','token':''}")));
    badPacket("token", () -> AuthToken.parse(new JsonObject().put("user", "ada").put("token", "t".repeat(4097))));
    assertThat(AuthToken.parse(new JsonObject().put("user", "ada").put("token", "t".repeat(4096))).token()).hasSize(4096);
  }

  @Test
  @DisplayName("LOGOUT {} is scope device, scope all parses, another scope is refused, and it round-trips")
  void logout() {
    assertThat(Logout.parse(data("{'whatever':1}"))).isEqualTo(new Logout(Logout.Scope.DEVICE));
    assertThat(Logout.parse(data("{'scope':'all'}"))).isEqualTo(new Logout(Logout.Scope.ALL));
    badPacket("scope", () -> Logout.parse(data("{'scope':'galaxy'}")));
    assertThat(Logout.parse(new Logout(Logout.Scope.ALL).toData())).isEqualTo(new Logout(Logout.Scope.ALL));
  }
}
