package io.parley.shared.token;

import static io.parley.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenKeysTest {

  private static final UUID DEVICE = UUID.fromString("0b8e2f4e-2d0b-4c43-8f0e-5b1f3f0f8a21");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @Test
  void loadCreatesAnAbsentKeyFileWithMode600InADirectoryWithMode700() throws IOException {
    Path file = dir.resolve("keys/token-ed25519.pem");

    TokenKeys keys = TokenKeys.load(file, true);

    assertThat(keys.canSign()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers).containsExactly(file);
    }
  }

  @Test
  void secondLoadReadsTheSameKey_aTokenIssuedBeforeVerifiesAfter() throws IOException {
    Path file = dir.resolve("token-ed25519.pem");
    TokenKeys first = TokenKeys.load(file, true);
    SessionToken token = new TokenIssuer(vertx, first, CLOCK).issue("alice", DEVICE, true);

    TokenKeys reloaded = TokenKeys.load(file, true);

    assertThat(reloaded.publicKeyPem()).isEqualTo(first.publicKeyPem());
    assertThat(await(new TokenVerifier(vertx, reloaded, CLOCK).verify(token.token())).tokenId()).isEqualTo(token.tokenId());
  }

  @Test
  void absentFileWithoutCreate_failsNamingTheSettingAndClusteredMode() {
    Path file = dir.resolve("missing.pem");

    assertThatThrownBy(() -> TokenKeys.load(file, false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining("PARLEY_TOKEN_KEY_FILE")
        .hasMessageContaining("never generated per process in clustered mode");
    assertThat(file).doesNotExist();
  }

  @Test
  void readsAPkcs8KeyMadeByAnotherTool() throws Exception {
    // The JDK writes the same PKCS#8 v1 structure as `openssl genpkey -algorithm ed25519`.
    byte[] der = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
    Path file = dir.resolve("openssl.pem");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\r\n" + Base64.getEncoder().encodeToString(der) + "\r\n-----END PRIVATE KEY-----\r\n");

    TokenKeys keys = TokenKeys.load(file, false);

    SessionToken token = new TokenIssuer(vertx, keys, CLOCK).issue("alice", DEVICE, false);
    assertThat(await(new TokenVerifier(vertx, keys, CLOCK).verify(token.token())).user()).isEqualTo("alice");
  }

  @Test
  void aFileThatIsNotAnEd25519PrivateKey_failsNamingTheFile() throws IOException {
    Path notPem = dir.resolve("junk.pem");
    Files.writeString(notPem, "hello");
    Path publicInstead = dir.resolve("public.pem");
    Files.writeString(publicInstead, TokenKeys.generate().publicKeyPem());

    assertThatThrownBy(() -> TokenKeys.load(notPem, true)).isInstanceOf(IOException.class).hasMessageContaining(notPem.toString());
    assertThatThrownBy(() -> TokenKeys.load(publicInstead, true)).isInstanceOf(IOException.class).hasMessageContaining(publicInstead.toString());
  }

  @Test
  void publicKeyFileVerifiesButCannotSign() throws IOException {
    TokenKeys full = TokenKeys.load(dir.resolve("token-ed25519.pem"), true);
    Path pub = dir.resolve("gateway/token-ed25519.pub.pem");
    full.writePublicKey(pub);
    SessionToken token = new TokenIssuer(vertx, full, CLOCK).issue("alice", DEVICE, true);

    TokenKeys gateway = TokenKeys.loadPublic(pub);

    assertThat(gateway.canSign()).isFalse();
    assertThat(gateway.publicKeyPem()).isEqualTo(full.publicKeyPem());
    assertThat(Files.readString(pub, StandardCharsets.US_ASCII)).isEqualTo(full.publicKeyPem());
    assertThat(await(new TokenVerifier(vertx, gateway, CLOCK).verify(token.token())).user()).isEqualTo("alice");
    assertThatThrownBy(() -> new TokenIssuer(vertx, gateway, CLOCK)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loadPublicOfAPrivateKeyFile_fails() throws IOException {
    Path file = dir.resolve("token-ed25519.pem");
    TokenKeys.load(file, true);

    assertThatThrownBy(() -> TokenKeys.loadPublic(file)).isInstanceOf(IOException.class).hasMessageContaining(file.toString());
  }

  @Test
  void generatedKeysAreDistinctAndCanSign() {
    TokenKeys a = TokenKeys.generate();
    TokenKeys b = TokenKeys.generate();

    assertThat(a.canSign()).isTrue();
    assertThat(a.publicKeyPem()).isNotEqualTo(b.publicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(a.toString()).doesNotContain("PRIVATE");
  }
}
