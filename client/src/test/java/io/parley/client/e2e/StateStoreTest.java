package io.parley.client.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory written from the chat's context: what comes back after a restart, with which file modes. */
class StateStoreTest {
  static final String SERVER = "127.0.0.1:7400";
  static final UUID ROOM = UUID.randomUUID();
  static final UUID OTHER_ROOM = UUID.randomUUID();

  @TempDir Path dir;
  final Vertx vertx = Vertx.vertx();
  final ChatContext context = new ChatContext(vertx);

  @AfterEach
  void tearDown() throws Exception {
    ParleyChat.await(vertx.close(), 10_000);
  }

  StateStore open(String server) throws Exception {
    return StateStore.open(context, dir, server);
  }

  <T> T onContext(java.util.function.Supplier<Future<T>> step) throws Exception {
    return ParleyChat.await(context.call(step), 10_000);
  }

  static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void a_saved_session_comes_back_after_a_restart_only_for_its_server() throws Exception {
    StateStore store = open(SERVER);
    assertThat(store.session()).isEmpty();
    ChatHome.Session session = new ChatHome.Session(SERVER, "ada", "token-1");
    onContext(() -> store.saveSession(session));
    assertThat(store.session()).contains(session);
    assertThat(mode(dir.resolve("session"))).isEqualTo("rw-------");

    assertThat(open(SERVER).session()).contains(session);
    assertThat(open("127.0.0.1:7500").session()).isEmpty();
  }

  @Test
  void a_forgotten_session_removes_the_file() throws Exception {
    StateStore store = open(SERVER);
    onContext(() -> store.saveSession(new ChatHome.Session(SERVER, "ada", "token-1")));
    onContext(() -> store.saveSession(null));
    assertThat(store.session()).isEmpty();
    assertThat(dir.resolve("session")).doesNotExist();
  }

  @Test
  void cursor_moves_are_written_with_the_latest_position_of_every_room() throws Exception {
    StateStore store = open(SERVER);
    onContext(() -> store.saveSession(new ChatHome.Session(SERVER, "ada", "token-1")));
    UUID third = UUID.randomUUID();
    onContext(() -> {
      for (long seq = 1; seq <= 100; seq++) {
        store.cursorMoved(ROOM, new ChatHome.Cursor(seq, new UUID(0, seq)));
      }
      store.cursorMoved(OTHER_ROOM, new ChatHome.Cursor(3, third));
      return store.flush();
    });
    assertThat(mode(dir.resolve("cursors"))).isEqualTo("rw-------");

    StateStore restarted = open(SERVER);
    assertThat(restarted.savedCursors()).isEqualTo(Map.of(
        ROOM, new ChatHome.Cursor(100, new UUID(0, 100)),
        OTHER_ROOM, new ChatHome.Cursor(3, third)));
    assertThat(open("127.0.0.1:7500").savedCursors()).as("another server's rooms").isEmpty();
  }

  @Test
  void a_cursor_moved_while_a_write_waits_is_in_that_write() throws Exception {
    StateStore store = open(SERVER);
    onContext(() -> store.saveSession(new ChatHome.Session(SERVER, "ada", "token-1")));
    onContext(() -> {
      store.cursorMoved(ROOM, new ChatHome.Cursor(1, new UUID(0, 1)));
      Future<Void> firstWrite = store.flush();
      store.cursorMoved(ROOM, new ChatHome.Cursor(2, new UUID(0, 2)));
      return firstWrite.compose(v -> store.flush());
    });
    assertThat(open(SERVER).savedCursors()).containsEntry(ROOM, new ChatHome.Cursor(2, new UUID(0, 2)));
  }

  @Test
  void pins_are_on_disk_when_their_write_completes() throws Exception {
    StateStore store = open(SERVER);
    UUID device = UUID.randomUUID();
    byte[] key = ChatKey.generate().publicKey();
    onContext(() -> {
      store.pins().accept(device, "bob", key);
      return store.savePins();
    });
    assertThat(mode(dir.resolve("device-keys"))).isEqualTo("rw-------");
    assertThat(open(SERVER).pins().get(device)).get().extracting(KeyPins.Pin::key).isEqualTo(key);
  }

  @Test
  void a_session_names_the_user_of_the_tokens_subject_else_the_folded_login_id() {
    String claims = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"sub\":\"ada.l\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(ChatHome.Session.forToken(SERVER, "h." + claims + ".sig", "Ada@Example.org").user()).isEqualTo("ada.l");
    assertThat(ChatHome.Session.forToken(SERVER, "opaque", "Ada.L").user()).isEqualTo("ada.l");
  }
}
