package io.parley.auth.captcha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.captcha.ProofOfWork;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CaptchasTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Captchas image = new Captchas(CaptchaKind.IMAGE, 0, RANDOM);
  private final Captchas pow = new Captchas(CaptchaKind.POW, 10, RANDOM);

  @Test
  void kindsHaveTheirWireNames() {
    assertThat(CaptchaKind.IMAGE.wire()).isEqualTo("image");
    assertThat(CaptchaKind.POW.wire()).isEqualTo(ProofOfWork.KIND).isEqualTo("pow");
    assertThat(CaptchaKind.fromWire("pow")).isEqualTo(CaptchaKind.POW);
    assertThat(CaptchaKind.fromWire("image")).isEqualTo(CaptchaKind.IMAGE);
    assertThatThrownBy(() -> CaptchaKind.fromWire("audio"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image, pow").hasMessageContaining("audio");
    assertThatThrownBy(() -> CaptchaKind.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anImageChallengeIsAPngAndTheAnswerStaysOnTheServer() throws Exception {
    Captchas.Captcha captcha = image.issue();
    JsonObject challenge = captcha.challenge();
    assertThat(challenge.fieldNames()).containsExactlyInAnyOrder("kind", "png", "length");
    assertThat(challenge.getString("kind")).isEqualTo("image");
    assertThat(challenge.getInteger("length")).isEqualTo(6);
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(challenge.getString("png"))));
    assertThat(png.getWidth()).isEqualTo(200);
    assertThat(png.getHeight()).isEqualTo(70);

    JsonObject stored = captcha.stored();
    assertThat(stored.fieldNames()).containsExactlyInAnyOrder("kind", "answer");
    assertThat(stored.getString("answer")).hasSize(6).matches("[" + VectorFont.ALPHABET + "]+");
    assertThat(challenge.encode()).doesNotContain(stored.getString("answer"));
  }

  @Test
  void theImageAnswerIsAcceptedInAnyCase() {
    JsonObject stored = image.issue().stored();
    String answer = stored.getString("answer");
    assertThat(image.accepts(stored, answer)).isTrue();
    assertThat(image.accepts(stored, answer.toLowerCase(Locale.ROOT))).isTrue();
    assertThat(image.accepts(stored, " " + answer.toLowerCase(Locale.ROOT) + "\n")).isTrue();
    // Survives the trip through Redis as a string.
    assertThat(image.accepts(new JsonObject(stored.encode()), answer)).isTrue();
  }

  @Test
  void otherImageAnswersAreRejected() {
    JsonObject stored = new JsonObject().put("kind", "image").put("answer", "ABC346");
    for (String wrong : new String[] {"ABC347", "ABC34", "ABC3466", "", "A B C 3 4 6", "ÀBC346",
        "x".repeat(10_000), null}) {
      assertThat(image.accepts(stored, wrong)).as("%s", wrong).isFalse();
    }
  }

  @Test
  void aPowChallengeIsSolvedWithTheSharedRule() {
    Captchas.Captcha captcha = pow.issue();
    JsonObject challenge = captcha.challenge();
    assertThat(challenge.fieldNames()).containsExactlyInAnyOrder("kind", "challenge", "difficulty");
    assertThat(challenge.getString("kind")).isEqualTo("pow");
    assertThat(challenge.getInteger("difficulty")).isEqualTo(10);
    assertThat(captcha.stored()).isEqualTo(challenge).isNotSameAs(challenge);

    String solution = ProofOfWork.solve(challenge.getString("challenge"), 10, null, null, 1L << 24);
    assertThat(pow.accepts(new JsonObject(captcha.stored().encode()), solution)).isTrue();
    long n = Long.parseLong(solution, 36);
    if (n > 0) {
      assertThat(pow.accepts(captcha.stored(), Long.toString(n - 1, 36))).isFalse();
    }
    assertThat(pow.accepts(captcha.stored(), solution.toUpperCase(Locale.ROOT) + "!")).isFalse();
  }

  @Test
  void theStoredKindDecidesSoChallengesSurviveAConfigChange() {
    JsonObject imageStored = image.issue().stored();
    assertThat(pow.accepts(imageStored, imageStored.getString("answer"))).isTrue();
    JsonObject powStored = pow.issue().stored();
    String solution = ProofOfWork.solve(powStored.getString("challenge"), 10, null, null, 1L << 24);
    assertThat(image.accepts(powStored, solution)).isTrue();
  }

  @Test
  void malformedStoredPartsAreRejectedWithoutThrowing() {
    JsonObject[] broken = {
        null,
        new JsonObject(),
        new JsonObject().put("kind", "audio").put("answer", "ABC346"),
        new JsonObject().put("kind", 7),
        new JsonObject().put("kind", "image"),
        new JsonObject().put("kind", "image").put("answer", 12345),
        new JsonObject().put("kind", "pow").put("challenge", "AAAAAAAAAAAAAAAAAAAAAA==").put("difficulty", "0"),
        new JsonObject().put("kind", "pow").put("challenge", "AAAAAAAAAAAAAAAAAAAAAA==").put("difficulty", 1.5),
        new JsonObject().put("kind", "pow").put("challenge", "AAAAAAAAAAAAAAAAAAAAAA==").put("difficulty", -1),
        new JsonObject().put("kind", "pow").put("challenge", "AAAAAAAAAAAAAAAAAAAAAA==").put("difficulty", 1L << 33),
        new JsonObject().put("kind", "pow").put("challenge", "not base64").put("difficulty", 0),
        new JsonObject().put("kind", "pow").put("difficulty", 0),
    };
    for (JsonObject stored : broken) {
      assertThat(image.accepts(stored, "0")).as("%s", stored).isFalse();
      assertThat(pow.accepts(stored, "ABC346")).as("%s", stored).isFalse();
    }
    // The difficulty-0 control: the shape above is otherwise valid.
    assertThat(pow.accepts(new JsonObject().put("kind", "pow").put("challenge", "AAAAAAAAAAAAAAAAAAAAAA==")
        .put("difficulty", 0), "0")).isTrue();
  }

  @Test
  void powDifficultyMustBeUsable() {
    assertThatThrownBy(() -> new Captchas(CaptchaKind.POW, 0, RANDOM)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Captchas(CaptchaKind.POW, 41, RANDOM)).isInstanceOf(IllegalArgumentException.class);
  }
}
