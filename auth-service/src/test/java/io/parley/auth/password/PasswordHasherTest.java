package io.parley.auth.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  /** Tiny costs: these tests check the format and the logic, not the strength. */
  static final Argon2Parameters FAST = new Argon2Parameters(256, 1, 1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PasswordHasher hasher = new PasswordHasher(FAST, RANDOM);

  @Test
  void aHashIsAPhcStringThatVerifiesItsPassword() {
    String phc = hasher.hash("correct horse battery");
    assertThat(phc).matches("\\$argon2id\\$v=19\\$m=256,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.verify("correct horse battery", phc)).isTrue();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    assertThat(hasher.hash("same password")).isNotEqualTo(hasher.hash("same password"));
  }

  @Test
  void aWrongPasswordDoesNotVerify() {
    String phc = hasher.hash("correct horse battery");
    assertThat(hasher.verify("correct horse batterY", phc)).isFalse();
    assertThat(hasher.verify("", phc)).isFalse();
    assertThat(hasher.verify(null, phc)).isFalse();
  }

  @Test
  void nonAsciiPasswordsAreHashedAsUtf8() {
    String phc = hasher.hash("pässwörd 🔑");
    assertThat(hasher.verify("pässwörd 🔑", phc)).isTrue();
    assertThat(hasher.verify("passwort 🔑", phc)).isFalse();
  }

  @Test
  void theHashIsStandardArgon2id() {
    // Recompute with BouncyCastle directly from the PHC fields: what libargon2 would do.
    String phc = hasher.hash("interop");
    String[] parts = phc.split("\\$");
    byte[] salt = Base64.getDecoder().decode(parts[4]);
    byte[] expected = new byte[32];
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
        org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
        .withVersion(0x13).withMemoryAsKB(256).withIterations(1).withParallelism(1).withSalt(salt).build());
    generator.generateBytes("interop".getBytes(StandardCharsets.UTF_8), expected);
    assertThat(parts[5]).isEqualTo(Base64.getEncoder().withoutPadding().encodeToString(expected));
  }

  @Test
  void oldHashesKeepVerifyingAfterAParameterChange() {
    String old = hasher.hash("long-lived password");
    PasswordHasher stronger = new PasswordHasher(new Argon2Parameters(512, 2, 2), RANDOM);
    assertThat(stronger.verify("long-lived password", old)).isTrue();
    assertThat(stronger.needsRehash(old)).isTrue();
    assertThat(hasher.needsRehash(old)).isFalse();
    String rehashed = stronger.hash("long-lived password");
    assertThat(rehashed).contains("$m=512,t=2,p=2$");
    assertThat(stronger.needsRehash(rehashed)).isFalse();
    assertThat(hasher.needsRehash(rehashed)).isTrue();
  }

  @Test
  void malformedPhcStringsDoNotVerify() {
    String good = hasher.hash("pw");
    String[] bad = {
        null, "", "plaintext", "$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
        good.replace("$v=19$", "$v=16$"),
        good.replace("m=256", "m=abc"),
        good.replace("m=256", "m=2147483647"),     // beyond the memory cap: never attempted
        good.replace("m=256", "m=4"),              // below 8 KiB per lane
        good.replace("t=1", "t=0"),
        good.replace("p=1", "p=-1"),
        good.replace(",t=1,p=1", ",p=1,t=1"),
        good + "$extra",
        good.substring(0, good.lastIndexOf('$')),
        good + "==",
        good.substring(0, good.lastIndexOf('$') + 1) + "!!!notbase64",
        good.substring(0, good.lastIndexOf('$') + 1) + "AAAA",   // a 3-byte hash
        good + "A".repeat(300),
    };
    for (String phc : bad) {
      assertThat(hasher.verify("pw", phc)).as("%s", phc).isFalse();
      assertThat(hasher.needsRehash(phc)).as("%s", phc).isTrue();
    }
  }

  @Test
  void theDummyHashHasThisHashersParametersAndMatchesNoPassword() {
    String dummy = hasher.dummyHash();
    assertThat(dummy).startsWith("$argon2id$v=19$m=256,t=1,p=1$");
    assertThat(hasher.dummyHash()).isSameAs(dummy);
    assertThat(hasher.needsRehash(dummy)).isFalse();
    for (String password : new String[] {"", "password", "correct horse battery", dummy}) {
      assertThat(hasher.verify(password, dummy)).isFalse();
    }
  }

  @Test
  void parametersOutsideRfc9106BoundsAreRefused() {
    assertThatThrownBy(() -> new Argon2Parameters(4, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Parameters(16, 1, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Parameters(1024, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Parameters(1024, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Argon2Parameters.DEFAULT.parallelism()).isEqualTo(1);
  }
}
