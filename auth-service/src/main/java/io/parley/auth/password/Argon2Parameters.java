package io.parley.auth.password;

/**
 * Argon2id cost parameters (RFC 9106): memory in KiB, passes over that memory, and lanes.
 *
 * <p>{@link #DEFAULT} is the strongest candidate of RFC 9106 §4 and the OWASP Password Storage Cheat
 * Sheet (and points between) whose median hash stays under about 100 ms on the reference machine
 * (2 cores shared with other builds, OpenJDK 17, BouncyCastle 1.87; median of 20 after 5 warm-up
 * hashes, two runs, {@code Argon2Measurement}; the full table is in docs/security.md):
 *
 * <pre>
 * parameters          m*t (MiB)  run 1 ms  run 2 ms
 * m=12288,t=3,p=1         36        28.6      27.2    OWASP
 * m=19456,t=2,p=1         38        35.6      30.0    OWASP
 * m=47104,t=1,p=1         46        47.7      40.4    OWASP
 * m=32768,t=2,p=1         64        58.9      53.7
 * m=65536,t=1,p=1         64        65.8      58.2
 * m=47104,t=2,p=1         92        91.3      80.3    chosen
 * m=65536,t=2,p=1        128       157.0     128.2
 * m=65536,t=3,p=1        192       262.5     178.3
 * m=65536,t=3,p=4        192       265.3     211.6    RFC 9106 second recommended option
 * m=131072,t=1,p=1       128       266.9     261.7
 * </pre>
 *
 * <p>Parallelism stays 1: BouncyCastle computes the lanes one after another, so p=4 costs at least as
 * much time as p=1 (see the two m=65536,t=3 rows) while an attacker's hardware runs them in parallel. The
 * RFC's first option (2 GiB, t=1, p=4) is far out of reach for an interactive login on this hardware.
 */
public record Argon2Parameters(int memoryKiB, int iterations, int parallelism) {
  /** 46 MiB, 2 passes, 1 lane: twice the work of OWASP's first option; 80–91 ms a hash on 2 cores. */
  public static final Argon2Parameters DEFAULT = new Argon2Parameters(46 * 1024, 2, 1);

  /** Upper bounds for parameters read from a stored hash, so a corrupt row cannot ask for 4 TiB. */
  static final int MAX_MEMORY_KIB = 1 << 20;
  static final int MAX_ITERATIONS = 64;
  static final int MAX_PARALLELISM = 16;

  public Argon2Parameters {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("parallelism must be 1–" + MAX_PARALLELISM + ", got " + parallelism);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be 1–" + MAX_ITERATIONS + ", got " + iterations);
    }
    // RFC 9106 §3.1: at least 8 KiB per lane.
    if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException("memoryKiB must be " + 8 * parallelism + "–" + MAX_MEMORY_KIB
          + " for parallelism " + parallelism + ", got " + memoryKiB);
    }
  }

  @Override
  public String toString() {
    return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
  }
}
