package io.parley.shared.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin request's proof: every signed part matters, and a challenge is good once and briefly. */
class AdminSignatureTest {
  @TempDir Path dir;

  AdminSignature key(String secret) throws Exception {
    return AdminSignature.load(Files.writeString(dir.resolve("key-" + secret.length()), secret + "\n"));
  }

  @Test
  void a_signature_verifies_only_for_the_same_key_method_path_challenge_and_body() throws Exception {
    AdminSignature key = key("0123456789abcdef0123456789abcdef-admin");
    byte[] body = "{\"user\":\"ada\"}".getBytes(StandardCharsets.UTF_8);
    String signed = key.sign("POST", "/admin/lock", "c1", body);

    assertThat(key.verify("POST", "/admin/lock", "c1", body, signed)).isTrue();
    assertThat(key.verify("GET", "/admin/lock", "c1", body, signed)).isFalse();
    assertThat(key.verify("POST", "/admin/unlock", "c1", body, signed)).isFalse();
    assertThat(key.verify("POST", "/admin/lock", "c2", body, signed)).isFalse();
    assertThat(key.verify("POST", "/admin/lock", "c1", "{\"user\":\"bob\"}".getBytes(StandardCharsets.UTF_8), signed)).isFalse();
    assertThat(key.verify("POST", "/admin/lock", "c1", body, null)).isFalse();
    assertThat(key("another-secret-of-enough-length-0123456789").verify("POST", "/admin/lock", "c1", body, signed)).isFalse();
  }

  @Test
  void a_short_secret_is_refused_with_the_command_that_makes_a_good_one() throws Exception {
    assertThatThrownBy(() -> key("too-short")).hasMessageContaining("openssl rand -base64 48");
  }

  @Test
  void a_challenge_is_good_once_within_its_lifetime_and_only_from_its_issuer() {
    AtomicLong now = new AtomicLong(1_000_000);
    AdminChallenges challenges = new AdminChallenges(now::get);
    String once = challenges.issue();
    String late = challenges.issue();

    assertThat(challenges.spend(once)).isTrue();
    assertThat(challenges.spend(once)).as("spent").isFalse();
    assertThat(challenges.spend("made-up")).isFalse();
    assertThat(challenges.spend(null)).isFalse();
    now.addAndGet(AdminChallenges.LIFETIME_MS + 1);
    assertThat(challenges.spend(late)).as("expired").isFalse();
  }

  @Test
  void asking_for_challenges_forever_keeps_at_most_the_newest_few() {
    AdminChallenges challenges = new AdminChallenges(() -> 0);
    String first = challenges.issue();
    String newest = null;
    for (int i = 0; i < AdminChallenges.MAX_OUTSTANDING; i++) {
      newest = challenges.issue();
    }

    assertThat(challenges.spend(first)).isFalse();
    assertThat(challenges.spend(newest)).isTrue();
  }
}
