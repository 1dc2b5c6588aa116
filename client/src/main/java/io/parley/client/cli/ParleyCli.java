package io.parley.client.cli;

import io.parley.client.Accounts;
import io.parley.client.CaptchaSolver;
import io.parley.client.IdentityMismatchException;
import io.parley.client.ParleyConnection;
import io.parley.client.ParleyStatusException;
import io.parley.client.e2e.ChatEvent;
import io.parley.client.e2e.ChatHome;
import io.parley.client.e2e.ChatKeyException;
import io.parley.client.e2e.MemberKeys;
import io.parley.client.e2e.ParleyChat;
import io.parley.client.e2e.RoomSummary;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.packet.Logout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley}: the terminal chat. Without a command it is interactive (JLine); with one it runs
 * that command for scripts and exits. Exit codes: 0 done, 1 usage or a refused request, 2 local state
 * unusable (corrupted key file), 3 the server's identity changed, 4 cannot connect.
 */
public final class ParleyCli {
  static final long TIMEOUT_MS = 60_000;
  static final String USAGE = """
      usage: parley [--server HOST:PORT] [--home DIR] [--fingerprint HEX] [--verbose] [COMMAND [ARGS]]
        (no command)           interactive chat
        signup                 create an account (prompts; pow captcha solved with a progress bar)
        login [USER]           log this device in (password prompt, or PARLEY_PASSWORD)
        logout [all]           revoke this device's session (all: every device of the account)
        devices                your devices: id, first and last login
        revoke DEVICE          cut off one of your devices (its tokens and live connections)
        link                   on a new device: show a code, wait until another device shares earlier messages
        link CODE              on your other device: share earlier messages with the device showing CODE
        rooms                  your rooms with unread counts
        create NAME USER...    a group with these people
        dm USER                the direct room with USER
        send ROOM TEXT...      send a message (ROOM: number from 'rooms', name or id)
        history ROOM [N]       the last N (50) events of a room, decrypted; [NUMBER] names a message
        edit ROOM NUMBER TEXT  replace the text of your message [NUMBER]
        delete ROOM NUMBER [REASON]   delete message [NUMBER]
        pin ROOM NUMBER        pin message [NUMBER]
        pins ROOM              the pinned messages of a room
        members ROOM           members, devices and key fingerprints
        invite ROOM USER...    add people to a group
        remove ROOM USER       remove someone from a group
        whoami                 user, device, chat key and server fingerprints
        delete-account         delete your account (asks for the password); see the README
      --verbose: errors also show the protocol's status code and detail
      environment: PARLEY_SERVER (127.0.0.1:7400), PARLEY_HOME (~/.parley/client), PARLEY_PASSWORD""";

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private BufferedReader lines;
  private boolean verbose;

  public ParleyCli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "io/parley/client/cli/logback-cli.xml");
    }
    int code = new ParleyCli(System.in, System.out, System.err, System.getenv()).run(args);
    System.exit(code);
  }

  /** Runs one invocation and returns its exit code. Closes everything it opened. */
  public int run(String[] args) {
    String server = env.getOrDefault("PARLEY_SERVER", "127.0.0.1:7400");
    Path home = env.containsKey("PARLEY_HOME") ? Path.of(env.get("PARLEY_HOME")) : ChatHome.defaultDir();
    String fingerprint = null;
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    while (!rest.isEmpty() && rest.get(0).startsWith("--")) {
      String option = rest.remove(0);
      if (option.equals("--help")) {
        out.println(USAGE);
        return 0;
      }
      if (option.equals("--verbose")) {
        verbose = true;
        continue;
      }
      if (rest.isEmpty()) {
        err.println(option + " needs a value\n" + USAGE);
        return 1;
      }
      String value = rest.remove(0);
      switch (option) {
        case "--server" -> server = value;
        case "--home" -> home = Path.of(value);
        case "--fingerprint" -> fingerprint = value;
        default -> {
          err.println("unknown option " + option + "\n" + USAGE);
          return 1;
        }
      }
    }
    int colon = server.lastIndexOf(':');
    String host = colon < 0 ? server : server.substring(0, colon);
    int port;
    try {
      port = colon < 0 ? 7400 : Integer.parseInt(server.substring(colon + 1));
    } catch (NumberFormatException e) {
      err.println("--server must be HOST:PORT, got " + server);
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    try {
      ParleyChat chat;
      try {
        chat = ParleyChat.open(vertx, new ParleyChat.Options(host, port, io.parley.client.Transport.TCP, home, fingerprint, true));
      } catch (ChatKeyException e) {
        err.println("parley: " + e.getMessage());
        return 2;
      } catch (IOException e) {
        err.println("parley: cannot use the state directory " + home + ": " + e.getMessage());
        return 2;
      }
      try {
        ParleyConnection connection = await(chat.connect());
        if (connection.trustedOnFirstUse()) {
          err.println("New server " + host + ":" + port + ", identity fingerprint " + connection.serverFingerprint());
          err.println("Remembered in " + chat.home().knownServersFile() + "; a different identity will be refused.");
        }
      } catch (IdentityMismatchException e) {
        err.println("parley: " + e.getMessage());
        return 3;
      } catch (ParleyStatusException e) {
        err.println("parley: the saved session was refused; log in again with 'parley login'" + (verbose ? " [" + e.sig() + "]" : ""));
        if (!rest.isEmpty() && !rest.get(0).equals("login") && !rest.get(0).equals("signup")) {
          return 1;
        }
      } catch (Exception e) {
        err.println("parley: cannot connect to " + host + ":" + port + (verbose ? ": " + e.getMessage() : "; is the server running?"));
        return 4;
      }
      try {
        if (rest.isEmpty()) {
          return new Interactive(this, chat, in, out).run();
        }
        return command(chat, rest.remove(0), rest);
      } finally {
        try {
          await(chat.close());
        } catch (Exception ignored) {
          // closing anyway
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
  }

  /** One line per device: id, first and last login, and which one this is. */
  static void devices(ParleyChat chat, PrintStream out) throws Exception {
    for (Accounts.Device device : await(chat.devices())) {
      out.println(device.device() + "  first login " + device.created() + "  last login " + device.lastSeen()
          + (device.current() ? "  (this device)" : ""));
    }
  }

  private int command(ParleyChat chat, String command, List<String> args) {
    try {
      if (!command.equals("signup") && !command.equals("login") && !command.equals("whoami") && !chat.hasSession()) {
        err.println("parley: not logged in on this device; run 'parley login' (or 'parley signup')");
        return 1;
      }
      switch (command) {
        case "signup" -> signup(chat, new LinePrompter());
        case "login" -> login(chat, new LinePrompter(), args.isEmpty() ? null : args.get(0));
        case "logout" -> {
          boolean everywhere = !args.isEmpty() && args.get(0).equals("all");
          await(chat.logout(everywhere ? Logout.Scope.ALL : Logout.Scope.DEVICE));
          out.println(everywhere ? "logged out on every device" : "logged out");
        }
        case "devices" -> devices(chat, out);
        case "link" -> {
          if (args.isEmpty()) {
            out.println(DeviceLinking.showCode(chat).replace("/link ", "parley link "));
            out.println(DeviceLinking.awaitLinked(chat));
          } else {
            out.println(DeviceLinking.approve(chat, String.join("", args)));
          }
        }
        case "revoke" -> {
          need(args, 1, "revoke DEVICE");
          await(chat.revokeDevice(UUID.fromString(args.get(0))));
          out.println("revoked device " + args.get(0));
        }
        case "rooms" -> Render.rooms(await(chat.rooms()), out, "create one with 'parley create NAME USER...' or 'parley dm USER'");
        case "create" -> {
          need(args, 2, "create NAME USER...");
          UUID room = await(chat.createGroup(args.get(0), args.subList(1, args.size())));
          out.println("created " + room);
        }
        case "dm" -> {
          need(args, 1, "dm USER");
          out.println("room " + await(chat.createDirect(args.get(0))));
        }
        case "send" -> {
          need(args, 2, "send ROOM TEXT...");
          UUID room = resolveRoom(chat, args.get(0), ROOMS_HINT);
          String text = String.join(" ", args.subList(1, args.size()));
          Optional<String> tooLong = TextLimit.refusal(text);
          if (tooLong.isPresent()) {
            err.println("parley: " + tooLong.get());
            return 1;
          }
          ParleyChat.Sent sent = await(chat.send(room, text));
          out.println("sent " + sent.event() + " (seq " + sent.seq() + ", sealed for " + sent.recipientDevices() + " devices)");
          warnSkipped(sent);
        }
        case "history" -> {
          need(args, 1, "history ROOM [N]");
          UUID room = resolveRoom(chat, args.get(0), ROOMS_HINT);
          int n = args.size() > 1 ? Integer.parseInt(args.get(1)) : 50;
          new Transcript().page(await(chat.history(room, n))).forEach(out::println);
        }
        case "edit" -> {
          need(args, 3, "edit ROOM NUMBER TEXT");
          UUID room = resolveRoom(chat, args.get(0), ROOMS_HINT);
          String text = String.join(" ", args.subList(2, args.size()));
          Optional<String> tooLong = TextLimit.refusal(text);
          if (tooLong.isPresent()) {
            err.println("parley: " + tooLong.get());
            return 1;
          }
          await(chat.edit(room, messageNumbered(chat, room, args.get(1)), text));
          out.println("edited [" + args.get(1) + "]");
        }
        case "delete" -> {
          need(args, 2, "delete ROOM NUMBER [REASON]");
          UUID room = resolveRoom(chat, args.get(0), ROOMS_HINT);
          String reason = args.size() > 2 ? String.join(" ", args.subList(2, args.size())) : null;
          await(chat.delete(room, messageNumbered(chat, room, args.get(1)), reason));
          out.println("deleted [" + args.get(1) + "]");
        }
        case "pin" -> {
          need(args, 2, "pin ROOM NUMBER");
          UUID room = resolveRoom(chat, args.get(0), ROOMS_HINT);
          await(chat.pin(room, messageNumbered(chat, room, args.get(1))));
          out.println("pinned [" + args.get(1) + "]");
        }
        case "pins" -> {
          need(args, 1, "pins ROOM");
          pins(chat, resolveRoom(chat, args.get(0), ROOMS_HINT), out);
        }
        case "members" -> {
          need(args, 1, "members ROOM");
          members(chat, resolveRoom(chat, args.get(0), ROOMS_HINT), out);
        }
        case "invite" -> {
          need(args, 2, "invite ROOM USER...");
          await(chat.addMembers(resolveRoom(chat, args.get(0), ROOMS_HINT), args.subList(1, args.size())));
          out.println("added " + String.join(", ", args.subList(1, args.size())));
        }
        case "remove" -> {
          need(args, 2, "remove ROOM USER");
          await(chat.removeMember(resolveRoom(chat, args.get(0), ROOMS_HINT), args.get(1)));
          out.println("removed " + args.get(1));
        }
        case "whoami" -> whoami(chat, out);
        case "delete-account" -> {
          if (!deleteAccount(chat, new LinePrompter())) {
            return 1;
          }
        }
        default -> {
          err.println("unknown command " + command + "\n" + USAGE);
          return 1;
        }
      }
      return 0;
    } catch (UsageException e) {
      err.println("usage: parley " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("parley: " + describe(e));
      return 1;
    }
  }

  static final class UsageException extends Exception {
    UsageException(String usage) {
      super(usage);
    }
  }

  private static void need(List<String> args, int n, String usage) throws UsageException {
    if (args.size() < n) {
      throw new UsageException(usage);
    }
  }

  void warnSkipped(ParleyChat.Sent sent) {
    if (!sent.skippedDevices().isEmpty()) {
      err.println("warning: not sealed for devices whose key changed: " + String.join(", ", sent.skippedDevices()));
    }
  }

  static void whoami(ParleyChat chat, PrintStream out) {
    out.println("user:        " + chat.user().orElse("(not logged in)"));
    out.println("device:      " + chat.device());
    out.println("chat key:    " + chat.chatKey().fingerprint());
    ParleyConnection c = chat.connection();
    out.println("server:      " + (c == null ? "(not connected)" : c.serverFingerprint()));
  }

  static void members(ParleyChat chat, UUID room, PrintStream out) throws Exception {
    for (MemberKeys m : await(chat.members(room))) {
      out.println(m.user() + " (" + m.role() + ")");
      for (MemberKeys.Device d : m.devices()) {
        out.println("    device " + d.device() + "  key " + d.fingerprint() + (d.pin() == io.parley.client.e2e.KeyPins.Verdict.CHANGED ? "  KEY CHANGED" : ""));
      }
    }
  }

  /** A room by its number in the room list, its name (case-insensitive), or its id. */
  static UUID resolveRoom(ParleyChat chat, String ref, String roomsHint) throws Exception {
    try {
      return UUID.fromString(ref);
    } catch (IllegalArgumentException notUuid) {
      List<RoomSummary> rooms = await(chat.rooms());
      if (ref.matches("\\d+")) {
        int i = Integer.parseInt(ref);
        if (i >= 1 && i <= rooms.size()) {
          return rooms.get(i - 1).room();
        }
      }
      for (RoomSummary r : rooms) {
        if (r.name().equalsIgnoreCase(ref)) {
          return r.room();
        }
      }
      throw new IllegalArgumentException("no room '" + ref + "'; " + roomsHint);
    }
  }

  /** Where a person in command mode sees their rooms. */
  static final String ROOMS_HINT = "'parley rooms' lists them";

  /** Events searched for a message named by its number, and for pins. */
  static final int RECENT_EVENTS = 500;

  /** The message {@code [number]} of a room, among its recent events. */
  static UUID messageNumbered(ParleyChat chat, UUID room, String number) throws Exception {
    long seq = parseNumber(number);
    return Transcript.find(await(chat.history(room, RECENT_EVENTS)), seq)
        .orElseThrow(() -> new IllegalArgumentException("no message [" + seq + "] among the last " + RECENT_EVENTS + " events of this room"));
  }

  static long parseNumber(String number) {
    String digits = number.strip().replaceAll("^\\[|]$", "");
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("name a message by the [number] shown before it");
    }
  }

  static void pins(ParleyChat chat, UUID room, PrintStream out) throws Exception {
    List<String> pins = new Transcript().pins(await(chat.history(room, RECENT_EVENTS)));
    if (pins.isEmpty()) {
      out.println("no pinned messages");
    }
    pins.forEach(out::println);
  }

  /** A failure in one sentence (with the protocol's detail in --verbose mode). */
  String describe(Throwable failure) {
    return ErrorText.of(failure, verbose);
  }

  // ---------------------------------------------------------------- accounts, shared with the interactive mode

  interface Prompter {
    String line(String prompt) throws IOException;

    String secret(String prompt) throws IOException;

    void show(String text);
  }

  /** Prompts on stdout, answers from stdin lines: for scripts. */
  final class LinePrompter implements Prompter {
    @Override
    public String line(String prompt) throws IOException {
      out.print(prompt);
      out.flush();
      if (lines == null) {
        lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      }
      String line = lines.readLine();
      if (line == null) {
        throw new IOException("input ended while asking: " + prompt.strip());
      }
      return line.strip();
    }

    @Override
    public String secret(String prompt) throws IOException {
      String fromEnv = env.get("PARLEY_PASSWORD");
      return fromEnv != null ? fromEnv : line(prompt);
    }

    @Override
    public void show(String text) {
      out.println(text);
    }
  }

  /**
   * Asks for each field in turn and checks it as soon as it is typed, with the server's own rules
   * ({@link SignupFields}); the password is asked twice. When the server still refuses (a taken
   * username or email), only that field is asked again.
   */
  void signup(ParleyChat chat, Prompter prompter) throws Exception {
    SignupForm form = new SignupForm(prompter, env.get("PARLEY_PASSWORD"));
    form.askAll();
    boolean[] imageAsked = {false};
    while (true) {
      try {
        await(chat.signup(form.user(), form.email(), form.fullname(), form.dob(), form.password(), captchaSolver(chat, prompter, imageAsked)));
        break;
      } catch (ParleyStatusException refused) {
        if (!form.askAgainAfter(refused, describe(refused))) {
          throw refused;
        }
      }
    }
    if (!imageAsked[0]) {
      // The last progress report comes at most every 65536 attempts; finish the bar.
      out.print("\rSolving the proof-of-work captcha " + Render.progress(1, 1));
    }
    prompter.show("");
    prompter.show("Account " + form.user() + " created.");
    await(chat.login(form.user(), form.password(), true));
    prompter.show("Logged in as " + chat.user().orElse(form.user()) + " on device " + chat.device() + " (chat key " + chat.chatKey().fingerprint() + ").");
  }

  /**
   * DELETE_ACCOUNT after the person typed their username and password: false when they did not
   * confirm. The saved session and the outbox are deleted; the rest of the state directory stays (it
   * holds nothing the server still knows).
   */
  boolean deleteAccount(ParleyChat chat, Prompter prompter) throws Exception {
    String user = chat.user().orElseThrow(() -> new IllegalStateException("not logged in on this device"));
    prompter.show("This deletes the account " + user + " for good: your profile, devices, keys and sessions on every device.");
    prompter.show("Your messages stay in their rooms as placeholders without their text. This cannot be undone.");
    if (!prompter.line("Type your username to confirm: ").equalsIgnoreCase(user)) {
      prompter.show("Not deleted: that is not your username.");
      return false;
    }
    await(new Accounts(chat.connection()).deleteAccount(prompter.secret("Password: ")));
    chat.home().saveSession(null);
    // Messages still waiting would go nowhere now, and their text should not outlive the account here.
    Files.deleteIfExists(chat.home().dir().resolve(Outbox.FILE));
    prompter.show("Account " + user + " deleted. The username is free again; this device is logged out.");
    return true;
  }

  void login(ParleyChat chat, Prompter prompter, String user) throws Exception {
    String id = user != null ? user : prompter.line("Username or email: ");
    String password = prompter.secret("Password: ");
    await(chat.login(id, password, true, captchaSolver(chat, prompter, new boolean[] {false})));
    prompter.show("Logged in as " + chat.user().orElse(id) + ".");
  }

  private CaptchaSolver captchaSolver(ParleyChat chat, Prompter prompter, boolean[] imageAsked) {
    return new CaptchaSolver() {
      private long lastPercent = -1;

      @Override
      public Future<String> solveImage(byte[] png) {
        imageAsked[0] = true;
        // Asking a person blocks: off the event loop.
        return chat.vertx().executeBlocking(() -> {
          Path file = chat.home().dir().resolve("captcha.png");
          Files.write(file, png);
          prompter.show("Captcha image saved to " + file.toAbsolutePath() + " — open it, or read the preview:");
          try {
            prompter.show(ImagePreview.ascii(png, 72));
          } catch (IOException e) {
            prompter.show("(no preview: " + e.getMessage() + ")");
          }
          return prompter.line("Characters shown: ");
        }, false);
      }

      @Override
      public void powProgress(long attempts, long expected) {
        long percent = Math.min(100, attempts * 100 / Math.max(1, expected));
        if (percent != lastPercent) {
          lastPercent = percent;
          out.print("\rSolving the proof-of-work captcha " + Render.progress(attempts, expected));
          out.flush();
        }
      }
    };
  }

  static <T> T await(Future<T> future) throws Exception {
    return ParleyChat.await(future, TIMEOUT_MS);
  }

  PrintStream err() {
    return err;
  }

  Map<String, String> env() {
    return env;
  }

  static boolean isMessage(ChatEvent e) {
    return e.kind() == RoomEventKind.MESSAGE_SENT;
  }
}
