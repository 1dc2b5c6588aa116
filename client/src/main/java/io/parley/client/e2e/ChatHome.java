package io.parley.client.e2e;

import io.parley.client.DeviceIds;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The client's state directory (default {@code ~/.parley/client}, {@code PARLEY_HOME}):
 * <pre>
 * device-id        this installation's device uuid
 * chat-key.pem     the device's X25519 chat key (mode 600)
 * known_servers    server identity pins, host:port → fingerprint (trust on first use)
 * session          server, user and session token (mode 600)
 * cursors          last event delivered per room: room = seq event-id
 * device-keys      chat keys pinned per device on first sight: device user key
 * </pre>
 * Reads happen once in {@link #open}; writes go through the caller's worker threads.
 */
public final class ChatHome {
  private final Path dir;
  private final UUID device;
  private final ChatKey chatKey;

  /** A saved login: the server it is for, the (folded) username and its token. */
  public record Session(String server, String user, String token) {
    /**
     * The session a LOGIN with {@code loginId} earned. LOGIN_OK does not carry the folded username
     * AUTH_TOKEN needs and the login id may be an email, so it is read from the token's {@code sub}
     * claim (docs/protocol.md, CHAT_ENCRYPT_C); an opaque token falls back to the folded login id.
     */
    static Session forToken(String server, String token, String loginId) {
      try {
        String[] parts = token.split("\\.");
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        String sub = claims.getString("sub");
        if (sub != null) {
          return new Session(server, sub, token);
        }
      } catch (RuntimeException ignored) {
        // an opaque token
      }
      return new Session(server, loginId.toLowerCase(Locale.ROOT), token);
    }
  }

  /** Where a room's delivered events end. */
  public record Cursor(long seq, UUID event) {}

  private ChatHome(Path dir, UUID device, ChatKey chatKey) {
    this.dir = dir;
    this.device = device;
    this.chatKey = chatKey;
  }

  /** Blocking: creates the directory, the device id and the chat key when absent, and loads them. */
  public static ChatHome open(Path dir) throws IOException {
    Files.createDirectories(dir);
    UUID device = DeviceIds.loadOrCreate(dir.resolve("device-id"));
    ChatKey key = ChatKey.loadOrCreate(dir.resolve("chat-key.pem"));
    return new ChatHome(dir, device, key);
  }

  public static Path defaultDir() {
    String env = System.getenv("PARLEY_HOME");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".parley", "client");
  }

  public Path dir() {
    return dir;
  }

  public UUID device() {
    return device;
  }

  public ChatKey chatKey() {
    return chatKey;
  }

  public Path knownServersFile() {
    return dir.resolve("known_servers");
  }

  Path deviceKeysFile() {
    return dir.resolve("device-keys");
  }

  /** Blocking. */
  public Optional<Session> loadSession() throws IOException {
    Properties p = read(dir.resolve("session"));
    String server = p.getProperty("server");
    String user = p.getProperty("user");
    String token = p.getProperty("token");
    return server == null || user == null || token == null ? Optional.empty() : Optional.of(new Session(server, user, token));
  }

  /** Blocking; null clears the session. */
  public void saveSession(Session session) throws IOException {
    Path file = dir.resolve("session");
    if (session == null) {
      Files.deleteIfExists(file);
      return;
    }
    Properties p = new Properties();
    p.setProperty("server", session.server());
    p.setProperty("user", session.user());
    p.setProperty("token", session.token());
    ChatKey.writePrivate(file, format(p));
  }

  /** Blocking. Unreadable lines are skipped: a lost cursor means a longer sync, not a failure. */
  public Map<UUID, Cursor> loadCursors() throws IOException {
    Map<UUID, Cursor> cursors = new TreeMap<>();
    Properties p = read(dir.resolve("cursors"));
    for (String room : p.stringPropertyNames()) {
      try {
        String[] parts = p.getProperty(room).trim().split("\\s+");
        cursors.put(UUID.fromString(room), new Cursor(Long.parseLong(parts[0]), UUID.fromString(parts[1])));
      } catch (RuntimeException ignored) {
        // see above
      }
    }
    return cursors;
  }

  /** Blocking; atomic (temp file and rename), so a killed client keeps the previous or the new cursors. */
  public void saveCursors(Map<UUID, Cursor> cursors) throws IOException {
    Properties p = new Properties();
    cursors.forEach((room, cursor) -> p.setProperty(room.toString(), cursor.seq() + " " + cursor.event()));
    ChatKey.writePrivate(dir.resolve("cursors"), format(p));
  }

  private static Properties read(Path file) throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
    }
    return p;
  }

  private static byte[] format(Properties p) throws IOException {
    StringWriter out = new StringWriter();
    p.store(out, null);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
