package io.parley.shared.captcha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class ProofOfWorkTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String FIXED_CHALLENGE =
      Base64.getEncoder().encodeToString("parley-pow-test!".getBytes(StandardCharsets.US_ASCII));

  @Test
  void aChallengeIsSixteenRandomBytesInPaddedBase64() {
    String challenge = ProofOfWork.newChallenge(RANDOM);
    assertThat(challenge).hasSize(24).endsWith("==");
    assertThat(Base64.getDecoder().decode(challenge)).hasSize(16);
    assertThat(ProofOfWork.newChallenge(RANDOM)).isNotEqualTo(challenge);
  }

  @Test
  void aSolvedPuzzleVerifies() {
    String challenge = ProofOfWork.newChallenge(RANDOM);
    String solution = ProofOfWork.solve(challenge, 12, null, () -> false, 1L << 24);
    assertThat(solution).matches("[0-9a-z]{1,64}");
    assertThat(ProofOfWork.verify(challenge, 12, solution)).isTrue();
    assertThat(ProofOfWork.verify(challenge, 0, solution)).isTrue();
  }

  @Test
  void theRuleIsSha256OfChallengeBytesThenSolution() throws Exception {
    String solution = ProofOfWork.solve(FIXED_CHALLENGE, 10, null, null, 1L << 20);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(Base64.getDecoder().decode(FIXED_CHALLENGE));
    byte[] digest = sha256.digest(solution.getBytes(StandardCharsets.UTF_8));
    assertThat(digest[0]).isZero();
    assertThat(digest[1] & 0xC0).isZero();
    // The solver counts in base 36 from "0", so the answer is the first one that qualifies.
    long first = Long.parseLong(solution, 36);
    for (long n = 0; n < first; n++) {
      assertThat(ProofOfWork.verify(FIXED_CHALLENGE, 10, Long.toString(n, 36))).isFalse();
    }
  }

  @Test
  void aWrongSolutionIsRejected() {
    String solution = ProofOfWork.solve(FIXED_CHALLENGE, 16, null, null, 1L << 26);
    assertThat(ProofOfWork.verify(FIXED_CHALLENGE, 16, solution)).isTrue();
    // Every earlier candidate of the solver's sequence failed, by construction.
    long n = Long.parseLong(solution, 36);
    assertThat(n).isPositive();
    assertThat(ProofOfWork.verify(FIXED_CHALLENGE, 16, Long.toString(n - 1, 36))).isFalse();
    // The answer is bound to its challenge (fixed inputs, so this is deterministic).
    String other = Base64.getEncoder().encodeToString("another-challeng".getBytes(StandardCharsets.US_ASCII));
    assertThat(ProofOfWork.verify(other, 16, solution)).isFalse();
  }

  @Test
  void solutionsOutsideTheAlphabetOrLengthAreRejected() {
    // Difficulty 0 accepts every well-formed solution, so only the format can reject these.
    String challenge = ProofOfWork.newChallenge(RANDOM);
    assertThat(ProofOfWork.verify(challenge, 0, "abc123")).isTrue();
    assertThat(ProofOfWork.verify(challenge, 0, "z".repeat(64))).isTrue();
    for (String bad : new String[] {null, "", "ABC", "a b", "a-b", "é", "１", "z".repeat(65), "0\n"}) {
      assertThat(ProofOfWork.verify(challenge, 0, bad)).as("solution %s", bad).isFalse();
    }
  }

  @Test
  void malformedChallengesAndDifficultiesAreRejected() {
    assertThat(ProofOfWork.verify(null, 0, "0")).isFalse();
    assertThat(ProofOfWork.verify("not base64!", 0, "0")).isFalse();
    assertThat(ProofOfWork.verify(Base64.getEncoder().encodeToString(new byte[15]), 0, "0")).isFalse();
    assertThat(ProofOfWork.verify(FIXED_CHALLENGE, -1, "0")).isFalse();
    assertThat(ProofOfWork.verify(FIXED_CHALLENGE, 41, "0")).isFalse();
    assertThatThrownBy(() -> ProofOfWork.solve("nope", 4, null, null, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void solvingReportsProgressAndStopsWhenCancelled() {
    List<Long> reports = new ArrayList<>();
    // 40 bits cannot be found within a few hundred thousand tries: cancel after the third report.
    assertThatThrownBy(() -> ProofOfWork.solve(FIXED_CHALLENGE, 40, reports::add,
        () -> reports.size() >= 3, Long.MAX_VALUE))
        .isInstanceOf(CancellationException.class);
    assertThat(reports).containsExactly(65_536L, 131_072L, 196_608L);
  }

  @Test
  void solvingGivesUpAfterMaxAttempts() {
    assertThatThrownBy(() -> ProofOfWork.solve(FIXED_CHALLENGE, 40, null, null, 1000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1000");
  }

  @Test
  void expectedAttemptsIsTwoToTheDifficulty() {
    assertThat(ProofOfWork.expectedAttempts(0)).isEqualTo(1);
    assertThat(ProofOfWork.expectedAttempts(20)).isEqualTo(1_048_576);
  }

  @Test
  void leadingZeroBitsCountsAcrossBytes() {
    assertThat(ProofOfWork.leadingZeroBits(new byte[] {0, 0x10, 0})).isEqualTo(11);
    assertThat(ProofOfWork.leadingZeroBits(new byte[] {(byte) 0x80})).isZero();
    assertThat(ProofOfWork.leadingZeroBits(new byte[] {0, 0})).isEqualTo(16);
  }
}
