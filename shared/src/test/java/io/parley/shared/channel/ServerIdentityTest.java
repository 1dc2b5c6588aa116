package io.parley.shared.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.crypto.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerIdentityTest {

  @TempDir Path tmp;

  @Test
  void anAbsentKeyIsCreatedWithMode600InADirectoryWithMode700() throws Exception {
    Path file = tmp.resolve("keys/nested/identity-ed25519.pem");
    ServerIdentity identity = ServerIdentity.loadOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("keys")))).isEqualTo("rwx------");
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(identity.fingerprint()).hasSize(Fingerprints.LENGTH).matches("[0-9a-f]{64}");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void aSecondCallLoadsTheSameKey() throws Exception {
    Path file = tmp.resolve("identity.pem");
    ServerIdentity first = ServerIdentity.loadOrCreate(file);
    ServerIdentity second = ServerIdentity.loadOrCreate(file);
    assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(second.publicKeyPem()).isEqualTo(first.publicKeyPem());
  }

  @Test
  void aPkcs8KeyWrittenElsewhereLoadsToTheSameIdentityAsItsSeed() throws Exception {
    // The PKCS#8 PEM that openssl genpkey and Node write for the vector seed 0x61..0x80.
    byte[] seed = HexFormat.of().parseHex("6162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80");
    Path file = tmp.resolve("openssl.pem");
    Files.writeString(file, ServerIdentity.pkcs8Pem(seed).replace("\n", "\r\n"));
    assertThat(ServerIdentity.loadOrCreate(file).fingerprint())
        .isEqualTo("b4cb4b93c4027ce3d455f29a17582ec2068472ba323f850bf9c12c8449b8650f")
        .isEqualTo(ServerIdentity.fromSeed(seed).fingerprint());
  }

  @Test
  void aCorruptFileIsAnIOExceptionNamingTheFile() throws Exception {
    Path file = tmp.resolve("corrupt.pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ServerIdentity.loadOrCreate(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());

    Path garbage = tmp.resolve("garbage.pem");
    Files.writeString(garbage, "hello");
    assertThatThrownBy(() -> ServerIdentity.loadOrCreate(garbage))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(garbage.toString());
  }

  @Test
  void anX25519PrivateKeyIsNotAnIdentity() throws Exception {
    Path file = tmp.resolve("x25519.pem");
    byte[] der = HexFormat.of().parseHex("302e020100300506032b656e04220420" + "11".repeat(32));
    Files.writeString(file, Pem.armor(Pem.PRIVATE_HEADER, Pem.PRIVATE_FOOTER, der));
    assertThatThrownBy(() -> ServerIdentity.loadOrCreate(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void fingerprintIsLowercaseHexSha256OfTheRawKey() {
    assertThat(Fingerprints.of(new byte[32]))
        .isEqualTo("66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
    assertThatThrownBy(() -> Fingerprints.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }
}
