package io.parley.client.admin;

import io.parley.shared.admin.AdminSignature;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code parley-admin}: the operator's command line for one Parley cluster, through the admin endpoint
 * on any process's ops port (docs/operations.md, "Administration"). Answers in plain words, or as the
 * endpoint's JSON with {@code --json}; {@code export} always prints JSON.
 *
 * <p>Exit status: 0 done, 1 refused or failed on the server (the reason is printed), 2 a usage
 * mistake, 3 the endpoint could not be reached.
 */
public final class ParleyAdmin {
  static final String DEFAULT_URL = "http://127.0.0.1:7480";

  static final String USAGE = String.join("\n",
      "usage: parley-admin [--url URL] [--key-file FILE] [--json] COMMAND [ARGUMENTS]",
      "",
      "  find-user TEXT             accounts whose username, email or full name contains TEXT",
      "  lock USER                  USER can no longer log in; their sessions end",
      "  unlock USER                USER can log in again",
      "  devices USER               USER's devices, most recently seen first",
      "  revoke-device USER DEVICE  end DEVICE's sessions and revoke its tokens",
      "  end-sessions USER          end every session of USER on every device",
      "  connections                connected clients per gateway",
      "  rooms [LIMIT]              the LIMIT largest rooms (default 50) and their sizes",
      "  export USER                USER's profile, devices and rooms as JSON",
      "",
      "  --url       any Parley process's ops endpoint (PARLEY_HTTP_PORT); default $PARLEY_ADMIN_URL or " + DEFAULT_URL,
      "  --key-file  the file named by the cluster's PARLEY_ADMIN_KEY_FILE; default $PARLEY_ADMIN_KEY_FILE",
      "  --json      print the endpoint's JSON answer instead of sentences");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  public ParleyAdmin(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    // The answers are the output: libraries may only warn, on stderr (the chat CLI's setting).
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "io/parley/client/cli/logback-cli.xml");
    }
    System.exit(new ParleyAdmin(
            new PrintStream(System.out, true, StandardCharsets.UTF_8), new PrintStream(System.err, true, StandardCharsets.UTF_8), System.getenv())
        .run(args));
  }

  public int run(String[] args) {
    String url = env.getOrDefault("PARLEY_ADMIN_URL", DEFAULT_URL);
    String keyFile = env.get("PARLEY_ADMIN_KEY_FILE");
    boolean json = false;
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url", "--key-file" -> {
          if (i + 1 == args.length) {
            return usage(args[i] + " needs a value");
          }
          if (args[i].equals("--url")) {
            url = args[++i];
          } else {
            keyFile = args[++i];
          }
        }
        case "--json" -> json = true;
        case "--help", "-h" -> {
          out.println(USAGE);
          return 0;
        }
        default -> words.add(args[i]);
      }
    }
    if (words.isEmpty()) {
      return usage("name a command");
    }
    String command = words.get(0);
    JsonObject arguments;
    try {
      arguments = arguments(command, words.subList(1, words.size()));
    } catch (IllegalArgumentException wrong) {
      return usage(wrong.getMessage());
    }
    if (keyFile == null || keyFile.isBlank()) {
      return usage("give the admin key with --key-file or PARLEY_ADMIN_KEY_FILE");
    }
    AdminSignature key;
    try {
      key = AdminSignature.load(Path.of(keyFile));
    } catch (IOException | IllegalArgumentException unreadable) {
      err.println("parley-admin: the admin key cannot be used: " + unreadable.getMessage());
      return 2;
    }
    AdminClient.Answer answer;
    try {
      answer = new AdminClient(URI.create(url.endsWith("/") ? url : url + "/"), key).run(command, arguments);
    } catch (IOException | IllegalArgumentException unreachable) {
      err.println("parley-admin: cannot reach " + url + ": " + unreachable);
      return 3;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return 3;
    }
    if (!answer.ok()) {
      err.println("parley-admin: " + command + " refused (HTTP " + answer.status() + "): " + answer.body().getString("error", answer.body().encode()));
      return 1;
    }
    out.println(json || command.equals("export") ? answer.body().encodePrettily() : AdminText.render(command, answer.body()));
    return 0;
  }

  /** The command's JSON arguments from its words; refuses a wrong count before anything is sent. */
  static JsonObject arguments(String command, List<String> words) {
    return switch (command) {
      case "find-user" -> exactly(words, 1, "find-user TEXT").put("query", words.get(0));
      case "lock", "unlock", "devices", "end-sessions", "export" -> exactly(words, 1, command + " USER").put("user", words.get(0));
      case "revoke-device" -> exactly(words, 2, "revoke-device USER DEVICE").put("user", words.get(0)).put("device", words.get(1));
      case "connections" -> exactly(words, 0, "connections");
      case "rooms" -> {
        if (words.size() > 1) {
          throw new IllegalArgumentException("usage: rooms [LIMIT]");
        }
        JsonObject rooms = new JsonObject();
        if (words.size() == 1) {
          try {
            rooms.put("limit", Integer.parseInt(words.get(0)));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rooms: LIMIT is a number");
          }
        }
        yield rooms;
      }
      default -> throw new IllegalArgumentException("no command " + command);
    };
  }

  private static JsonObject exactly(List<String> words, int count, String usage) {
    if (words.size() != count) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    return new JsonObject();
  }

  private int usage(String problem) {
    err.println("parley-admin: " + problem);
    err.println(USAGE);
    return 2;
  }
}
