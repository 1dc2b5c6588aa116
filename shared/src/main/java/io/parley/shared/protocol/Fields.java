package io.parley.shared.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the fields of a packet's {@code data} object and checks them, the one place where client
 * input is validated. Every failure is a {@link BadPacketException} naming the field by the path the
 * client wrote ({@code user}, {@code people[2]}, {@code actiondata.msg}) and a reason the user can act
 * on. Values are never echoed back except short enum-like words, so a password or token cannot leak
 * into a reply or a log line.
 *
 * <p>Absent and {@code null} mean the same thing; fields a packet does not define are ignored, so old
 * servers accept packets from newer clients.
 */
public final class Fields {

  /** Longest piece of a client's value quoted back in a reason ("unknown action 'x'"). */
  private static final int QUOTE_MAX_CHARS = 32;

  private static final Pattern ISO_DATE_TEXT = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";

  private final JsonObject object;
  private final String path;

  private Fields(JsonObject object, String path) {
    this.object = object;
    this.path = path;
  }

  /** The fields of a packet's {@code data} (null reads as an empty object). */
  public static Fields of(JsonObject data) {
    return new Fields(data == null ? new JsonObject() : data, "");
  }

  /** Path of this object: empty for {@code data} itself, else e.g. {@code actiondata}. */
  public String path() {
    return path;
  }

  /** The field's value; absent or null is "required". */
  public Value required(String name) {
    Object raw = object.getValue(name);
    if (raw == null) {
      throw new BadPacketException(childPath(name), "required");
    }
    return new Value(childPath(name), raw);
  }

  /** The field's value, or empty when absent or null. */
  public Optional<Value> optional(String name) {
    Object raw = object.getValue(name);
    return raw == null ? Optional.empty() : Optional.of(new Value(childPath(name), raw));
  }

  public String string(String name, int minChars, int maxChars) {
    return required(name).string(minChars, maxChars);
  }

  public Optional<String> optionalString(String name, int minChars, int maxChars) {
    return optional(name).map(v -> v.string(minChars, maxChars));
  }

  public int integer(String name, int min, int max) {
    return required(name).integer(min, max);
  }

  public boolean bool(String name) {
    return required(name).bool();
  }

  public boolean bool(String name, boolean whenAbsent) {
    return optional(name).map(Value::bool).orElse(whenAbsent);
  }

  public UUID uuid(String name) {
    return required(name).uuid();
  }

  public Optional<UUID> optionalUuid(String name) {
    return optional(name).map(Value::uuid);
  }

  public LocalDate isoDate(String name) {
    return required(name).isoDate();
  }

  public String username(String name) {
    return required(name).username();
  }

  public <E extends Enum<E>> E oneOf(String name, E[] choices, Function<E, String> wireName) {
    return required(name).oneOf(choices, wireName);
  }

  public <T> List<T> array(String name, int minItems, int maxItems, Function<Value, T> item) {
    return required(name).array(minItems, maxItems, item);
  }

  public Fields object(String name) {
    return required(name).object();
  }

  private String childPath(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** One value present in the packet, with the path that names it in error reasons. */
  public static final class Value {
    private final String path;
    private final Object raw;

    Value(String path, Object raw) {
      this.path = path;
      this.raw = raw;
    }

    public String path() {
      return path;
    }

    /** The value as parsed from JSON (String, Number, Boolean, JsonObject or JsonArray). */
    public Object raw() {
      return raw;
    }

    public BadPacketException invalid(String reason) {
      return new BadPacketException(path, reason);
    }

    public BadPacketException invalid(StatusCode code, String reason) {
      return new BadPacketException(code, path, reason);
    }

    public boolean isString() {
      return raw instanceof String;
    }

    public boolean isObject() {
      return raw instanceof JsonObject;
    }

    /** A string of {@code minChars}–{@code maxChars} characters (code points). */
    public String string(int minChars, int maxChars) {
      String s = anyString();
      checkLength(s, minChars, maxChars);
      return s;
    }

    /**
     * Text people read (a full name, a room name): leading and trailing whitespace is removed, then
     * it must be {@code minChars}–{@code maxChars} characters with no control characters (tabs, line
     * breaks, terminal escapes) that would break a chat list.
     */
    public String displayText(int minChars, int maxChars) {
      String s = anyString().strip();
      if (s.isEmpty() && minChars > 0) {
        throw invalid("must not be blank");
      }
      checkLength(s, minChars, maxChars);
      if (s.codePoints().anyMatch(Character::isISOControl)) {
        throw invalid("must not contain control characters such as tabs or line breaks");
      }
      return s;
    }

    /** A string of the given length matching {@code pattern}; {@code rule} tells the user how. */
    public String matching(int minChars, int maxChars, Pattern pattern, String rule) {
      String s = string(minChars, maxChars);
      if (!pattern.matcher(s).matches()) {
        throw invalid(rule);
      }
      return s;
    }

    /** A whole number in [min, max]; a fraction (even 2.0) is refused. */
    public int integer(int min, int max) {
      String rule = "must be a whole number from " + min + " to " + max;
      if (!(raw instanceof Number number)) {
        throw invalid(rule + ", got " + jsonType(raw));
      }
      if (raw instanceof BigInteger) {
        throw invalid(rule);
      }
      if (!(raw instanceof Integer || raw instanceof Long || raw instanceof Short
          || raw instanceof Byte)) {
        throw invalid(rule + ", got a fraction");
      }
      long value = number.longValue();
      if (value < min || value > max) {
        throw invalid(rule);
      }
      return (int) value;
    }

    public boolean bool() {
      if (raw instanceof Boolean b) {
        return b;
      }
      throw invalid("must be true or false");
    }

    /**
     * A UUID in its canonical 8-4-4-4-12 hex form (either case). Read by hand rather than with a
     * regular expression and {@code UUID.fromString}: every chat packet names its room by one, and
     * it was the first Parley frame of a fifth of the samples in a (43-sample) JFR profile of the
     * direct benchmark at 3,000 msg/s; docs/benchmarks.md, "Server CPU per message".
     */
    public UUID uuid() {
      String s = typed("a UUID");
      if (s.length() != 36) {
        throw notUuid();
      }
      long high = 0;
      long low = 0;
      for (int i = 0; i < 36; i++) {
        char c = s.charAt(i);
        if (i == 8 || i == 13 || i == 18 || i == 23) {
          if (c != '-') {
            throw notUuid();
          }
          continue;
        }
        int digit = Character.digit(c, 16);
        if (digit < 0 || c > 'f') {
          throw notUuid();
        }
        if (i < 18) {
          high = (high << 4) | digit;
        } else {
          low = (low << 4) | digit;
        }
      }
      return new UUID(high, low);
    }

    private BadPacketException notUuid() {
      return invalid("must be a UUID like 0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192");
    }

    /** A calendar date written {@code YYYY-MM-DD} that exists (no February 30th). */
    public LocalDate isoDate() {
      String s = typed("a date written YYYY-MM-DD");
      if (!ISO_DATE_TEXT.matcher(s).matches()) {
        throw invalid("must be a date written YYYY-MM-DD");
      }
      try {
        return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE);
      } catch (DateTimeParseException e) {
        throw invalid("is not a real date");
      }
    }

    /**
     * A username: ASCII letters are folded to lower case, then it must be {@link
     * Limits#USERNAME_MIN_CHARS}–{@link Limits#USERNAME_MAX_CHARS} of {@code [a-z0-9_.]}. Only ASCII
     * is folded so that look-alikes such as the Kelvin sign are refused rather than merged.
     */
    public String username() {
      String folded = foldAscii(typed("a username"));
      checkLength(folded, Limits.USERNAME_MIN_CHARS, Limits.USERNAME_MAX_CHARS);
      if (!Limits.USERNAME_PATTERN.matcher(folded).matches()) {
        throw invalid("may contain only letters a-z, digits, '_' and '.'");
      }
      return folded;
    }

    /**
     * An email address, checked only as far as a typing mistake shows: at most {@link
     * Limits#EMAIL_MAX_CHARS}, one '@', a non-empty local part, a domain with a dot inside, no
     * whitespace or control characters. Whether it receives mail is not the edge's business.
     */
    public String email() {
      String s = string(1, Limits.EMAIL_MAX_CHARS);
      if (s.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
          || Character.isISOControl(c))) {
        throw invalid("must not contain spaces or control characters");
      }
      int at = s.indexOf('@');
      if (at < 0 || at != s.lastIndexOf('@')) {
        throw invalid("must contain exactly one '@', like name@example.org");
      }
      if (at == 0) {
        throw invalid("needs a name before the '@', like name@example.org");
      }
      String domain = s.substring(at + 1);
      int dot = domain.indexOf('.');
      if (dot <= 0 || domain.endsWith(".")) {
        throw invalid("needs a domain with a dot after the '@', like name@example.org");
      }
      return s;
    }

    /**
     * One of a fixed set of words. An unknown word is quoted back with the accepted ones so the
     * client developer sees the typo.
     */
    public <E extends Enum<E>> E oneOf(E[] choices, Function<E, String> wireName) {
      if (!(raw instanceof String s)) {
        throw invalid("must be a string, one of " + accepted(choices, wireName));
      }
      for (E choice : choices) {
        if (wireName.apply(choice).equals(s)) {
          return choice;
        }
      }
      throw invalid("unknown " + noun() + " " + quote(s) + ", expected one of " + accepted(choices, wireName));
    }

    /** Only for a refusal: joining the words on every packet cost as much as the rest of the parse. */
    private static <E extends Enum<E>> String accepted(E[] choices, Function<E, String> wireName) {
      return Arrays.stream(choices).map(wireName).collect(Collectors.joining(", "));
    }

    /**
     * An array of {@code minItems}–{@code maxItems} items, each checked by {@code item} with its own
     * path ({@code people[2]}).
     */
    public <T> List<T> array(int minItems, int maxItems, Function<Value, T> item) {
      if (!(raw instanceof JsonArray array)) {
        throw invalid("must be an array");
      }
      if (array.size() < minItems || array.size() > maxItems) {
        String bounds =
            minItems == maxItems ? String.valueOf(minItems) : minItems + "–" + maxItems;
        throw invalid("must have " + bounds + " entries, got " + array.size());
      }
      List<T> items = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        Object element = array.getValue(i);
        String itemPath = path + "[" + i + "]";
        if (element == null) {
          throw new BadPacketException(itemPath, "must not be null");
        }
        items.add(item.apply(new Value(itemPath, element)));
      }
      return Collections.unmodifiableList(items);
    }

    /**
     * An array of {@code minItems}–{@code maxItems} usernames (each folded as {@link #username()}),
     * none named twice after folding.
     */
    public List<String> usernames(int minItems, int maxItems) {
      List<String> names = array(minItems, maxItems, Value::username);
      Map<String, Integer> firstIndex = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        Integer earlier = firstIndex.putIfAbsent(names.get(i), i);
        if (earlier != null) {
          throw new BadPacketException(
              path + "[" + i + "]", "names the same person as " + path + "[" + earlier + "]");
        }
      }
      return names;
    }

    /** A nested object whose fields are named {@code path.field}. */
    public Fields object() {
      if (!(raw instanceof JsonObject nested)) {
        throw invalid("must be an object");
      }
      return new Fields(nested, path);
    }

    /**
     * Standard base64 (RFC 4648 §4, padding optional, no line breaks) of {@code minBytes}–{@code
     * maxBytes} decoded bytes; a value over the limit is {@link StatusCode#TOO_LARGE}. Returned as
     * written: the server stores and relays ciphertext, it never needs the bytes.
     */
    public String base64(int minBytes, int maxBytes) {
      String s = typed("base64 text");
      // Checked on the text first, so an oversized value is refused without decoding it.
      long maxChars = 4L * ((maxBytes + 2L) / 3L);
      if (s.length() > maxChars) {
        throw invalid(StatusCode.TOO_LARGE, "must decode to at most " + maxBytes + " bytes");
      }
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(s);
      } catch (IllegalArgumentException e) {
        throw invalid("must be base64 (A-Z, a-z, 0-9, '+', '/', optional '=' padding)");
      }
      if (decoded.length > maxBytes) {
        throw invalid(StatusCode.TOO_LARGE, "must decode to at most " + maxBytes + " bytes");
      }
      if (decoded.length < minBytes) {
        throw invalid(minBytes == 1 ? "must not be empty" : "must decode to at least " + minBytes + " bytes");
      }
      return s;
    }

    /**
     * A PEM public key ({@code -----BEGIN PUBLIC KEY-----}, base64 lines, {@code -----END PUBLIC
     * KEY-----}) of at most {@link Limits#PUBLIC_KEY_PEM_MAX_CHARS}. Only the armour is checked here;
     * the owning service parses the key itself (X25519, SubjectPublicKeyInfo).
     */
    public String publicKeyPem() {
      String pem = string(1, Limits.PUBLIC_KEY_PEM_MAX_CHARS);
      String text = pem.strip();
      if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END)
          || text.length() < PEM_BEGIN.length() + PEM_END.length()) {
        throw invalid("must be a PEM public key from " + PEM_BEGIN + " to " + PEM_END);
      }
      String body =
          text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length()).replaceAll("[\r\n]", "");
      if (body.isEmpty()) {
        throw invalid("the PEM public key has no base64 body");
      }
      try {
        Base64.getDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw invalid("the PEM public key body must be base64 lines");
      }
      return pem;
    }

    private String anyString() {
      return typed("a string");
    }

    private String typed(String what) {
      if (raw instanceof String s) {
        return s;
      }
      throw invalid("must be " + what + ", got " + jsonType(raw));
    }

    private void checkLength(String s, int minChars, int maxChars) {
      int chars = s.codePointCount(0, s.length());
      if (chars < minChars || chars > maxChars) {
        if (minChars == 1 && chars == 0) {
          throw invalid("must not be empty");
        }
        String bounds = minChars == 0 ? "at most " + maxChars : minChars + "–" + maxChars;
        throw invalid("must be " + bounds + " characters, got " + chars);
      }
    }

    /** The last name in the path, for reasons like "unknown action 'x'". */
    private String noun() {
      String last = path.substring(path.lastIndexOf('.') + 1);
      int bracket = last.indexOf('[');
      return bracket < 0 ? last : last.substring(0, bracket);
    }
  }

  /** Lower-cases ASCII letters only; every other character stays and is judged by the pattern. */
  static String foldAscii(String s) {
    StringBuilder folded = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (folded == null) {
          folded = new StringBuilder(s);
        }
        folded.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return folded == null ? s : folded.toString();
  }

  /** A client's word quoted for a reason: shortened, control characters replaced. */
  static String quote(String s) {
    String shortened =
        s.codePointCount(0, s.length()) > QUOTE_MAX_CHARS
            ? s.substring(0, s.offsetByCodePoints(0, QUOTE_MAX_CHARS)) + "…"
            : s;
    StringBuilder quoted = new StringBuilder("'");
    shortened.codePoints().forEach(c -> quoted.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return quoted.append('\'').toString();
  }

  static String jsonType(Object value) {
    if (value instanceof String) {
      return "a string";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Number) {
      return "a number";
    } else if (value instanceof JsonObject) {
      return "an object";
    } else if (value instanceof JsonArray) {
      return "an array";
    }
    return "an unsupported value";
  }
}
