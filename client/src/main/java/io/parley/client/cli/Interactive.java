package io.parley.client.cli;

import static io.parley.client.cli.ParleyCli.await;

import io.parley.client.e2e.ChatEvent;
import io.parley.client.e2e.ParleyChat;
import io.parley.client.e2e.RoomSummary;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.packet.Logout;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;

/**
 * The interactive chat: a JLine prompt; incoming events are printed above the line being typed
 * ({@link Console#printAbove}), so typing is never broken.
 */
final class Interactive {
  static final String HELP = """
      /rooms                 your rooms with unread counts      /open ROOM    open a room (number, name or id)
      /create NAME USER...   a new group                        /dm USER      the direct room with USER
      /history [N]           the last N events of the room      /back         leave the room view
      /edit N TEXT           replace your message [N]           /delete N [REASON]   delete message [N]
                             ([N]: the number shown before a message, the same on every device)
      /pin N                 pin message [N]                    /pins         the pinned messages of the room
      /members               members, devices, key fingerprints
      /invite USER...        add people                         /remove USER  remove someone
      /trust DEVICE          accept a device's changed key      /whoami       your device and keys
      /devices               your devices                       /revoke DEVICE   cut off a lost device
      /link                  on a new device: show a code to read earlier messages here
      /link CODE             on your other device: share earlier messages with the one showing CODE
      /logout [all]          log out this device (all: every device) and exit
      /delete-account        delete your account for good (asks for your password)
      /outbox                messages waiting for the connection
      /quit                  exit (the session stays saved)     anything else is sent to the open room""";

  static final int OPEN_HISTORY = 30;
  static final String ROOMS_HINT = "/rooms lists them";

  private final ParleyCli cli;
  private final ParleyChat chat;
  private final InputStream in;
  private final PrintStream out;
  private Console reader;
  private volatile UUID openRoom;
  private volatile String openName;
  private volatile Transcript transcript = new Transcript();
  private final Set<UUID> shown = ConcurrentHashMap.newKeySet();
  private final ConnectionNotices connectionNotices = new ConnectionNotices(this::say);
  private volatile Outbox outbox;
  private final Map<UUID, Integer> unread = new ConcurrentHashMap<>();

  Interactive(ParleyCli cli, ParleyChat chat, InputStream in, PrintStream out) {
    this.cli = cli;
    this.chat = chat;
    this.in = in;
    this.out = out;
  }

  int run() {
    try {
      return converse();
    } finally {
      Outbox kept = outbox;
      if (kept != null) {
        kept.close();
      }
    }
  }

  private int converse() {
    try (Console console = Console.open(in, out)) {
      reader = console;
      chat.onEvent(this::onEvent);
      chat.onWarning(w -> say("warning: " + w));
      chat.onConnectionState(state -> {
        connectionNotices.changed(state, chat.lastConnectFailure().map(cli::describe));
        Outbox kept = outbox;
        if (kept != null) {
          kept.connectionChanged(state);
        }
      });
      if (!chat.hasSession() && !authenticate()) {
        return 1;
      }
      say("Logged in as " + chat.user().orElseThrow() + ". Type /help for commands.");
      try {
        outbox = new Outbox(chat, this::say, e -> say(cli.describe(e)), cli::warnSkipped);
      } catch (IOException | RuntimeException e) {
        cli.err().println("parley: cannot read " + chat.home().dir().resolve(Outbox.FILE) + " (messages waiting to be sent): " + e.getMessage());
        return 2;
      }
      try {
        outbox.sendLeftovers();
      } catch (Exception e) {
        say(cli.describe(e));
      }
      try {
        listRooms();
      } catch (Exception e) {
        say(cli.describe(e));
      }
      while (true) {
        String line;
        try {
          line = reader.readLine(openRoom == null ? "parley> " : "#" + openName + "> ");
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          outbox.finish(ParleyCli.TIMEOUT_MS);
          return 0;
        }
        line = line.strip();
        if (line.isEmpty()) {
          continue;
        }
        if (line.equals("/quit") || line.equals("/exit")) {
          outbox.finish(ParleyCli.TIMEOUT_MS);
          return 0;
        }
        if (line.equals("/delete-account")) {
          try {
            if (cli.deleteAccount(chat, prompter())) {
              return 0;
            }
          } catch (Exception e) {
            say(cli.describe(e));
          }
          continue;
        }
        try {
          handle(line);
        } catch (Exception e) {
          say(cli.describe(e));
        }
      }
    } catch (IOException e) {
      cli.err().println("parley: cannot open the terminal: " + e.getMessage());
      return 1;
    }
  }

  private ParleyCli.Prompter prompter() {
    return new ParleyCli.Prompter() {
      @Override
      public String line(String prompt) {
        return reader.readLine(prompt).strip();
      }

      @Override
      public String secret(String prompt) {
        String fromEnv = cli.env().get("PARLEY_PASSWORD");
        return fromEnv != null ? fromEnv : reader.readSecret(prompt);
      }

      @Override
      public void show(String text) {
        say(text);
      }
    };
  }

  private boolean authenticate() {
    ParleyCli.Prompter prompter = prompter();
    while (true) {
      try {
        String choice = reader.readLine("Not logged in on this device. (l)ogin, (s)ignup or (q)uit? ").strip().toLowerCase();
        switch (choice) {
          case "l", "login" -> cli.login(chat, prompter, null);
          case "s", "signup" -> cli.signup(chat, prompter);
          case "q", "quit" -> {
            return false;
          }
          default -> {
            continue;
          }
        }
        return true;
      } catch (EndOfFileException | UserInterruptException e) {
        return false;
      } catch (Exception e) {
        say(cli.describe(e));
      }
    }
  }

  private void handle(String line) throws Exception {
    if (!line.startsWith("/")) {
      UUID room = requireRoom();
      Optional<String> tooLong = TextLimit.refusal(line);
      if (tooLong.isPresent()) {
        say(tooLong.get());
        return;
      }
      Future<?> attempt = outbox.submit(room, line);
      if (reader instanceof Console.Plain) {
        // Piped input (scripts, tests) stays in order: the message's line comes before the next command's.
        attempt.get(ParleyCli.TIMEOUT_MS, TimeUnit.MILLISECONDS);
      }
      return;
    }
    String[] parts = line.split("\\s+", 2);
    String command = parts[0];
    String rest = parts.length > 1 ? parts[1] : "";
    List<String> args = rest.isEmpty() ? List.of() : Arrays.asList(rest.split("\\s+"));
    switch (command) {
      case "/help" -> say(HELP);
      case "/rooms" -> listRooms();
      case "/open" -> open(ParleyCli.resolveRoom(chat, rest, ROOMS_HINT));
      case "/back" -> {
        openRoom = null;
        openName = null;
      }
      case "/create" -> {
        if (args.size() < 2) {
          throw new IllegalArgumentException("say who is in it: /create NAME USER...");
        }
        UUID room = await(chat.createGroup(args.get(0), args.subList(1, args.size())));
        open(room);
      }
      case "/dm" -> open(await(chat.createDirect(rest)));
      case "/history" -> history(rest.isEmpty() ? OPEN_HISTORY : count(rest));
      case "/edit" -> {
        String[] p = rest.split("\\s+", 2);
        if (p.length < 2 || p[1].isBlank()) {
          throw new IllegalArgumentException("say what the message should say: /edit N TEXT (/delete N removes it)");
        }
        Optional<String> tooLong = TextLimit.refusal(p[1]);
        if (tooLong.isPresent()) {
          say(tooLong.get());
          return;
        }
        await(chat.edit(requireRoom(), message(p[0]), p[1]));
      }
      case "/delete" -> {
        String[] p = rest.split("\\s+", 2);
        await(chat.delete(requireRoom(), message(p[0]), p.length > 1 ? p[1] : null));
      }
      case "/pin" -> await(chat.pin(requireRoom(), message(rest)));
      case "/pins" -> ParleyCli.pins(chat, requireRoom(), sayStream());
      case "/outbox" -> {
        List<String> waiting = outbox.describe();
        say(waiting.isEmpty() ? "nothing waiting to be sent" : String.join("\n", waiting));
      }
      case "/members" -> ParleyCli.members(chat, requireRoom(), sayStream());
      case "/invite" -> {
        await(chat.addMembers(requireRoom(), args));
        say("added " + String.join(", ", args));
      }
      case "/remove" -> {
        await(chat.removeMember(requireRoom(), rest));
        say("removed " + rest);
      }
      case "/trust" -> {
        await(chat.trustKey(requireRoom(), UUID.fromString(rest)));
        say("trusting the new key of device " + rest);
      }
      case "/link" -> {
        if (rest.isBlank()) {
          say(DeviceLinking.showCode(chat));
          waitForLink();
        } else {
          say(DeviceLinking.approve(chat, rest));
        }
      }
      case "/whoami" -> ParleyCli.whoami(chat, sayStream());
      case "/devices" -> ParleyCli.devices(chat, sayStream());
      case "/revoke" -> {
        await(chat.revokeDevice(UUID.fromString(rest.strip())));
        say("revoked device " + rest.strip());
      }
      case "/logout" -> {
        await(chat.logout(rest.strip().equals("all") ? Logout.Scope.ALL : Logout.Scope.DEVICE));
        say(rest.strip().equals("all") ? "logged out on every device; /quit to exit" : "logged out; /quit to exit");
      }
      default -> say("unknown command " + command + "; /help lists them");
    }
  }

  /** Waits for the keys on its own thread, so that typing goes on meanwhile. */
  private void waitForLink() {
    Thread waiter = new Thread(() -> {
      try {
        say(DeviceLinking.awaitLinked(chat));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        say(cli.describe(e));
      }
    }, "parley-link");
    waiter.setDaemon(true);
    waiter.start();
  }

  private UUID requireRoom() {
    UUID room = openRoom;
    if (room == null) {
      throw new IllegalStateException("open a room first: /rooms lists them, /open N opens one, /dm USER talks to one person");
    }
    return room;
  }

  /** A message by the number shown before it: from what this view showed, else the room's recent events. */
  private UUID message(String number) throws Exception {
    long seq = ParleyCli.parseNumber(number);
    Optional<UUID> shownHere = transcript.message(seq);
    return shownHere.isPresent() ? shownHere.get() : ParleyCli.messageNumbered(chat, requireRoom(), number);
  }

  private static int count(String text) {
    try {
      return Math.max(1, Integer.parseInt(text.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("/history takes a number of events, like /history 50");
    }
  }

  private void listRooms() throws Exception {
    Render.rooms(await(chat.rooms()), sayStream(), "/create NAME USER... makes a group, /dm USER a direct room");
  }
  private void open(UUID room) throws Exception {
    String name = room.toString();
    for (RoomSummary r : await(chat.rooms())) {
      if (r.room().equals(room)) {
        name = r.name();
      }
    }
    transcript = new Transcript();
    shown.clear();
    unread.remove(room);
    openName = name;
    openRoom = room;
    say("— " + name + " —");
    history(OPEN_HISTORY);
  }

  private void history(int count) throws Exception {
    UUID room = requireRoom();
    List<ChatEvent> events = await(chat.history(room, count));
    events.forEach(e -> shown.add(e.id()));
    transcript.page(events).forEach(this::say);
    if (!events.isEmpty()) {
      chat.markRead(room, events.get(events.size() - 1).id());
    }
  }

  private void onEvent(ChatEvent e) {
    if (e.room().equals(openRoom)) {
      show(e);
      if (e.kind() == RoomEventKind.MESSAGE_SENT && !e.sender().equals(chat.user().orElse(""))) {
        chat.markRead(e.room(), e.id());
      }
    } else if (e.kind() == RoomEventKind.MESSAGE_SENT && !e.sender().equals(chat.user().orElse(""))) {
      int n = unread.merge(e.room(), 1, Integer::sum);
      say("(" + n + " new in another room from " + e.sender() + "; /rooms lists your rooms)");
    }
  }

  private void show(ChatEvent e) {
    if (shown.add(e.id())) {
      say(transcript.live(e));
    }
  }

  /** Prints above the prompt, keeping what is being typed intact. */
  private void say(String text) {
    if (reader != null) {
      reader.printAbove(text);
    } else {
      out.println(text);
    }
  }

  private PrintStream sayStream() {
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream() {
      @Override
      public void close() {}
    };
    return new PrintStream(buffer, true) {
      @Override
      public void println(String x) {
        say(x);
      }
    };
  }
}
