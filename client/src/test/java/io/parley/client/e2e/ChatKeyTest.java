package io.parley.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatKeyTest {
  @TempDir Path dir;

  @Test
  void a_new_key_is_saved_with_mode_600_and_loads_back_the_same() throws Exception {
    Path file = dir.resolve("home/chat-key.pem");
    ChatKey created = ChatKey.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(ChatKey.loadOrCreate(file).publicKey()).isEqualTo(created.publicKey());
    assertThat(created.publicPem()).startsWith("-----BEGIN PUBLIC KEY-----");
  }

  @Test
  void a_corrupted_key_file_gives_a_clear_error() throws Exception {
    Path file = dir.resolve("chat-key.pem");
    ChatKey.generate().save(file);
    String pem = Files.readString(file);
    Files.writeString(file, pem.replace("MC4CAQAwBQYDK2VuBCIEI", "MC4CAQAwBQYDK2VwBCIEI"));
    assertThatThrownBy(() -> ChatKey.load(file))
        .isInstanceOf(ChatKeyException.class)
        .hasMessageContaining("chat key file " + file + " is corrupted")
        .hasMessageContaining("does not hold an X25519 private key")
        .hasMessageContaining("Restore it from a backup");

    Files.writeString(file, "garbage");
    assertThatThrownBy(() -> ChatKey.load(file)).isInstanceOf(ChatKeyException.class).hasMessageContaining("not a PEM private key");

    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> ChatKey.load(file)).isInstanceOf(ChatKeyException.class).hasMessageContaining("not valid base64");
  }

  @Test
  void a_key_file_others_can_read_is_refused() throws Exception {
    Path file = dir.resolve("chat-key.pem");
    ChatKey.generate().save(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> ChatKey.load(file)).isInstanceOf(ChatKeyException.class).hasMessageContaining("chmod 600");
  }
}
