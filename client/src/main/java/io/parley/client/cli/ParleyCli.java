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
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley}: the terminal chat. Without a command it is interactive (JLine); with one it runs
 * that command for scripts and exits. picocli parses the arguments: the options come before the
 * command, and usage errors (an unknown option, a missing value or argument) are its messages.
 */
@Command(
    name = "parley",
    description = "The terminal chat: interactive without a command; with one, runs it for scripts and exits.",
    synopsisSubcommandLabel = "[COMMAND [ARGS]]",
    subcommands = HelpCommand.class,
    sortOptions = false,
    sortSynopsis = false,
    usageHelpWidth = 100,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:a refused request or a failed command",
      "2:a usage error, or local state unusable (a corrupted key file)",
      "3:the server's identity changed",
      "4:cannot connect"},
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  PARLEY_SERVER     the server, when --server is not given",
      "  PARLEY_HOME       this device's state, when --home is not given",
      "  PARLEY_PASSWORD   the password, instead of asking for it"})
public final class ParleyCli implements Callable<Integer> {
  static final long TIMEOUT_MS = 60_000;

  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private BufferedReader lines;

  @Option(names = "--server", paramLabel = "HOST:PORT", description = "the server (default: PARLEY_SERVER, else 127.0.0.1:7400)")
  private ServerAddress server;

  @Option(names = "--home", paramLabel = "DIR", description = "this device's state: chat key, session, pins (default: PARLEY_HOME, else ~/.parley/client)")
  private Path home;

  @Option(names = "--fingerprint", paramLabel = "HEX", description = "the server identity to require instead of trusting it on first use")
  private String fingerprint;

  @Option(names = "--verbose", description = "errors also show the protocol's status code and detail")
  private boolean verbose;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help; 'parley help COMMAND' for one command")
  private boolean help;

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
    PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter errWriter = new PrintWriter(err, true, StandardCharsets.UTF_8);
    CommandLine commandLine = new CommandLine(this)
        .registerConverter(ServerAddress.class, ServerAddress::parse)
        .setDefaultValueProvider(this::defaultFromEnvironment)
        .setOut(outWriter)
        .setErr(errWriter);
    // Message text is free: a word starting with '-' is text there, not an unknown option.
    for (String takesText : List.of("send", "edit", "delete")) {
      commandLine.getSubcommands().get(takesText).setUnmatchedOptionsArePositionalParams(true);
    }
    try {
      return commandLine.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /** --server and --home default to PARLEY_SERVER and PARLEY_HOME of the environment this CLI was given. */
  private String defaultFromEnvironment(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    return switch (option.longestName()) {
      case "--server" -> env.getOrDefault("PARLEY_SERVER", ServerAddress.DEFAULT);
      case "--home" -> env.containsKey("PARLEY_HOME") ? env.get("PARLEY_HOME") : ChatHome.defaultDir().toString();
      default -> null;
    };
  }

  /** No command: the interactive chat. */
  @Override
  public Integer call() {
    return connected(Needs.NO_SESSION, chat -> new Interactive(this, chat, in, out).run());
  }

  /** What a command needs from this device's saved session before it runs. */
  private enum Needs {
    /** Interactive mode, signup, login: run without a session, even when the saved one was refused. */
    NO_SESSION,
    /** whoami: runs without a session, but not after the saved one was refused. */
    NO_REFUSED_SESSION,
    /** Everything else: a logged-in session. */
    SESSION
  }

  /** One command's work on the connected chat; its exit code. */
  @FunctionalInterface
  private interface ChatWork {
    int run(ParleyChat chat) throws Exception;
  }

  /** A command's work that ends with exit code 0 unless it throws. */
  @FunctionalInterface
  private interface ChatStep {
    void run(ParleyChat chat) throws Exception;
  }

  private int command(Needs needs, ChatStep step) {
    return connected(needs, chat -> {
      step.run(chat);
      return 0;
    });
  }

  /**
   * Opens this device's state, connects, checks the session {@code needs}, runs {@code work} and
   * closes everything. A failure of the work is one sentence on stderr and exit code 1.
   */
  private int connected(Needs needs, ChatWork work) {
    String host = server.host();
    int port = server.port();
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
        if (needs != Needs.NO_SESSION) {
          return 1;
        }
      } catch (Exception e) {
        err.println("parley: cannot connect to " + host + ":" + port + (verbose ? ": " + e.getMessage() : "; is the server running?"));
        return 4;
      }
      try {
        if (needs == Needs.SESSION && !chat.hasSession()) {
          err.println("parley: not logged in on this device; run 'parley login' (or 'parley signup')");
          return 1;
        }
        return work.run(chat);
      } catch (Exception e) {
        err.println("parley: " + describe(e));
        return 1;
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

  /** A command's work with the message text its words make. */
  @FunctionalInterface
  private interface TextStep {
    void run(ParleyChat chat, String text) throws Exception;
  }

  /** A command that sends TEXT: a text over the message limit is refused (exit 1) and nothing is sent. */
  private int withText(List<String> words, TextStep step) {
    String text = String.join(" ", words);
    return connected(Needs.SESSION, chat -> {
      Optional<String> tooLong = TextLimit.refusal(text);
      if (tooLong.isPresent()) {
        err.println("parley: " + tooLong.get());
        return 1;
      }
      step.run(chat, text);
      return 0;
    });
  }

  // ---------------------------------------------------------------- the commands

  @Command(name = "signup", description = "create an account (prompts; pow captcha solved with a progress bar)")
  int signupCommand() {
    return command(Needs.NO_SESSION, chat -> signup(chat, new LinePrompter()));
  }

  @Command(name = "login", description = "log this device in (password prompt, or PARLEY_PASSWORD)")
  int loginCommand(@Parameters(paramLabel = "USER", arity = "0..1", description = "username or email (asked when absent)") String user) {
    return command(Needs.NO_SESSION, chat -> login(chat, new LinePrompter(), user));
  }

  @Command(name = "logout", description = "revoke this device's session (all: every device of the account)")
  int logoutCommand(@Parameters(paramLabel = "all", arity = "0..1", description = "every device of the account") String scope) {
    return command(Needs.SESSION, chat -> {
      boolean everywhere = "all".equals(scope);
      await(chat.logout(everywhere ? Logout.Scope.ALL : Logout.Scope.DEVICE));
      out.println(everywhere ? "logged out on every device" : "logged out");
    });
  }

  @Command(name = "devices", description = "your devices: id, first and last login")
  int devicesCommand() {
    return command(Needs.SESSION, chat -> devices(chat, out));
  }

  @Command(name = "revoke", description = "cut off one of your devices (its tokens and live connections)")
  int revokeCommand(@Parameters(paramLabel = "DEVICE", description = "the device's id, from 'parley devices'") String device) {
    return command(Needs.SESSION, chat -> {
      await(chat.revokeDevice(UUID.fromString(device)));
      out.println("revoked device " + device);
    });
  }

  @Command(name = "link", description = "on a new device: show a code and wait until another device shares earlier messages; "
      + "with CODE, on your other device: share earlier messages with the device showing CODE")
  int linkCommand(@Parameters(paramLabel = "CODE", arity = "0..*") List<String> code) {
    return command(Needs.SESSION, chat -> {
      if (code == null || code.isEmpty()) {
        out.println(DeviceLinking.showCode(chat).replace("/link ", "parley link "));
        out.println(DeviceLinking.awaitLinked(chat));
      } else {
        out.println(DeviceLinking.approve(chat, String.join("", code)));
      }
    });
  }

  @Command(name = "rooms", description = "your rooms with unread counts")
  int roomsCommand() {
    return command(Needs.SESSION,
        chat -> Render.rooms(await(chat.rooms()), out, "create one with 'parley create NAME USER...' or 'parley dm USER'"));
  }

  @Command(name = "create", description = "a group with these people")
  int createCommand(
      @Parameters(index = "0", paramLabel = "NAME") String name,
      @Parameters(index = "1..*", arity = "1..*", paramLabel = "USER") List<String> users) {
    return command(Needs.SESSION, chat -> out.println("created " + await(chat.createGroup(name, users))));
  }

  @Command(name = "dm", description = "the direct room with USER")
  int dmCommand(@Parameters(paramLabel = "USER") String user) {
    return command(Needs.SESSION, chat -> out.println("room " + await(chat.createDirect(user))));
  }

  @Command(name = "send", description = "send a message (ROOM: number from 'rooms', name or id)")
  int sendCommand(
      @Parameters(index = "0", paramLabel = "ROOM") String roomRef,
      @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT") List<String> words) {
    return withText(words, (chat, text) -> {
      ParleyChat.Sent sent = await(chat.send(resolveRoom(chat, roomRef, ROOMS_HINT), text));
      out.println("sent " + sent.event() + " (seq " + sent.seq() + ", sealed for " + sent.recipientDevices() + " devices)");
      warnSkipped(sent);
    });
  }

  @Command(name = "history", description = "the last N events of a room, decrypted; [NUMBER] names a message")
  int historyCommand(
      @Parameters(index = "0", paramLabel = "ROOM") String roomRef,
      @Parameters(index = "1", arity = "0..1", paramLabel = "N", defaultValue = "50", description = "how many (default: ${DEFAULT-VALUE})") int n) {
    return command(Needs.SESSION,
        chat -> new Transcript().page(await(chat.history(resolveRoom(chat, roomRef, ROOMS_HINT), n))).forEach(out::println));
  }

  @Command(name = "edit", description = "replace the text of your message [NUMBER]")
  int editCommand(
      @Parameters(index = "0", paramLabel = "ROOM") String roomRef,
      @Parameters(index = "1", paramLabel = "NUMBER") String number,
      @Parameters(index = "2..*", arity = "1..*", paramLabel = "TEXT") List<String> words) {
    return withText(words, (chat, text) -> {
      UUID room = resolveRoom(chat, roomRef, ROOMS_HINT);
      await(chat.edit(room, messageNumbered(chat, room, number), text));
      out.println("edited [" + number + "]");
    });
  }

  @Command(name = "delete", description = "delete message [NUMBER]")
  int deleteCommand(
      @Parameters(index = "0", paramLabel = "ROOM") String roomRef,
      @Parameters(index = "1", paramLabel = "NUMBER") String number,
      @Parameters(index = "2..*", arity = "0..*", paramLabel = "REASON") List<String> reason) {
    return command(Needs.SESSION, chat -> {
      UUID room = resolveRoom(chat, roomRef, ROOMS_HINT);
      await(chat.delete(room, messageNumbered(chat, room, number), reason == null || reason.isEmpty() ? null : String.join(" ", reason)));
      out.println("deleted [" + number + "]");
    });
  }

  @Command(name = "pin", description = "pin message [NUMBER]")
  int pinCommand(@Parameters(index = "0", paramLabel = "ROOM") String roomRef, @Parameters(index = "1", paramLabel = "NUMBER") String number) {
    return command(Needs.SESSION, chat -> {
      UUID room = resolveRoom(chat, roomRef, ROOMS_HINT);
      await(chat.pin(room, messageNumbered(chat, room, number)));
      out.println("pinned [" + number + "]");
    });
  }

  @Command(name = "pins", description = "the pinned messages of a room")
  int pinsCommand(@Parameters(paramLabel = "ROOM") String roomRef) {
    return command(Needs.SESSION, chat -> pins(chat, resolveRoom(chat, roomRef, ROOMS_HINT), out));
  }

  @Command(name = "members", description = "members, devices and key fingerprints")
  int membersCommand(@Parameters(paramLabel = "ROOM") String roomRef) {
    return command(Needs.SESSION, chat -> members(chat, resolveRoom(chat, roomRef, ROOMS_HINT), out));
  }

  @Command(name = "invite", description = "add people to a group")
  int inviteCommand(
      @Parameters(index = "0", paramLabel = "ROOM") String roomRef,
      @Parameters(index = "1..*", arity = "1..*", paramLabel = "USER") List<String> users) {
    return command(Needs.SESSION, chat -> {
      await(chat.addMembers(resolveRoom(chat, roomRef, ROOMS_HINT), users));
      out.println("added " + String.join(", ", users));
    });
  }

  @Command(name = "remove", description = "remove someone from a group")
  int removeCommand(@Parameters(index = "0", paramLabel = "ROOM") String roomRef, @Parameters(index = "1", paramLabel = "USER") String user) {
    return command(Needs.SESSION, chat -> {
      await(chat.removeMember(resolveRoom(chat, roomRef, ROOMS_HINT), user));
      out.println("removed " + user);
    });
  }

  @Command(name = "whoami", description = "user, device, chat key and server fingerprints")
  int whoamiCommand() {
    return command(Needs.NO_REFUSED_SESSION, chat -> whoami(chat, out));
  }

  @Command(name = "delete-account", description = "delete your account (asks for the password); see the README")
  int deleteAccountCommand() {
    return connected(Needs.SESSION, chat -> deleteAccount(chat, new LinePrompter()) ? 0 : 1);
  }

  /** One line per device: id, first and last login, and which one this is. */
  static void devices(ParleyChat chat, PrintStream out) throws Exception {
    for (Accounts.Device device : await(chat.devices())) {
      out.println(device.device() + "  first login " + device.created() + "  last login " + device.lastSeen()
          + (device.current() ? "  (this device)" : ""));
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
