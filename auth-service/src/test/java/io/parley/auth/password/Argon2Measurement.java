package io.parley.auth.password;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Measures one {@link PasswordHasher#hash} for the candidate parameter sets of RFC 9106 §4 and the
 * OWASP Password Storage Cheat Sheet; the table in docs/security.md comes from here. Not a test:
 * run it on the target machine with
 * {@code java -cp <test classpath> io.parley.auth.password.Argon2Measurement [runs]}.
 */
public final class Argon2Measurement {
  private static final List<Argon2Parameters> CANDIDATES = List.of(
      new Argon2Parameters(7 * 1024, 5, 1),    // OWASP
      new Argon2Parameters(9 * 1024, 4, 1),    // OWASP
      new Argon2Parameters(12 * 1024, 3, 1),   // OWASP
      new Argon2Parameters(19 * 1024, 2, 1),   // OWASP
      new Argon2Parameters(46 * 1024, 1, 1),   // OWASP
      new Argon2Parameters(32 * 1024, 2, 1),
      new Argon2Parameters(64 * 1024, 1, 1),
      new Argon2Parameters(46 * 1024, 2, 1),
      new Argon2Parameters(64 * 1024, 2, 1),
      new Argon2Parameters(64 * 1024, 3, 1),
      new Argon2Parameters(64 * 1024, 3, 4),   // RFC 9106 second recommended option
      new Argon2Parameters(128 * 1024, 1, 1));

  private Argon2Measurement() {
  }

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    SecureRandom random = new SecureRandom();
    System.out.printf("%-20s %10s %10s %10s %10s%n", "parameters", "m*t MiB", "median ms", "min ms", "max ms");
    for (Argon2Parameters parameters : CANDIDATES) {
      PasswordHasher hasher = new PasswordHasher(parameters, random);
      for (int i = 0; i < 5; i++) {
        hasher.hash("warm-up password " + i);
      }
      double[] ms = new double[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        hasher.hash("correct horse battery staple " + i);
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf("%-20s %10d %10.1f %10.1f %10.1f%n", parameters,
          parameters.memoryKiB() / 1024 * parameters.iterations(), ms[runs / 2], ms[0], ms[runs - 1]);
    }
  }
}
