package io.parley.standalone.cluster;

import io.parley.shared.config.ConfigKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway event-bus CA and certificates it signs, made at test time with the same openssl
 * commands docs/deploy-k8s.md gives operators (so the guide's recipe is what the cluster tests run).
 * EC P-256, PKCS#8 keys, valid for two days.
 */
final class BusCertificates {
  /** The three files a process is configured with. */
  record Issued(Path ca, Path cert, Path key) {
    Map<String, String> env() {
      return Map.of(
          ConfigKey.CLUSTER_TLS_CA_FILE.env(), ca.toString(),
          ConfigKey.CLUSTER_TLS_CERT_FILE.env(), cert.toString(),
          ConfigKey.CLUSTER_TLS_KEY_FILE.env(), key.toString());
    }
  }

  private static final String EXTENSIONS =
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final Path caCert;
  private final Path caKey;

  private BusCertificates(Path dir, Path caCert, Path caKey) {
    this.dir = dir;
    this.caCert = caCert;
    this.caKey = caKey;
  }

  /** A new CA named {@code name}, its files in a directory of its own under {@code parent}. */
  static BusCertificates newCa(Path parent, String name) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(parent.resolve(name));
    Path cert = dir.resolve("ca.crt");
    Path key = dir.resolve("ca.key");
    openssl(dir, "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-days", "2",
        "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", key.toString(), "-out", cert.toString());
    return new BusCertificates(dir, cert, key);
  }

  Path caCertificate() {
    return caCert;
  }

  /** A certificate for {@code name}, signed by this CA, with this CA as the trusted one. */
  Issued issue(String name) throws IOException, InterruptedException {
    return issue(name, caCert);
  }

  /** A certificate for {@code name}, signed by this CA, trusting {@code trusted} (another CA's, for an intruder). */
  Issued issue(String name, Path trusted) throws IOException, InterruptedException {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    Path ext = Files.writeString(dir.resolve(name + ".ext"), EXTENSIONS, StandardCharsets.UTF_8);
    openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-subj", "/CN=" + name,
        "-keyout", key.toString(), "-out", csr.toString());
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
        "-set_serial", Long.toString(RANDOM.nextLong() & Long.MAX_VALUE), "-days", "2", "-extfile", ext.toString(),
        "-out", cert.toString());
    return new Issued(trusted, cert, key);
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("the cluster tests make their event-bus certificates with openssl, which is not on the PATH", e);
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
  }
}
