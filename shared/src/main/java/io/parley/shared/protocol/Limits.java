package io.parley.shared.protocol;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Every bound a client packet is checked against at the edge, declared once. Character counts are
 * Unicode code points (an emoji is one character), byte counts are of decoded base64. Each constant
 * says where its value comes from; docs/protocol.md §8 lists them all.
 */
public final class Limits {
  private Limits() {}

  /**
   * A plaintext handshake frame (CONN_INIT, CONN_ENCRYPT_C) is about 150–250 bytes; 4 KiB leaves room
   * for any reasonable encoding while a connection that has proved nothing yet can make the gateway
   * hold at most this much, not the general frame limit.
   */
  public static final int HANDSHAKE_FRAME_MAX_BYTES = 4096;

  /** The envelope's request id (DESIGN §2); the codec enforces it, repeated here for the docs. */
  public static final int REQUEST_ID_MAX_CHARS = Envelope.MAX_ID_CHARS;

  // --- Accounts (SIGNUP, LOGIN, AUTH_TOKEN) ---

  /** DESIGN §2: usernames are 3–32 characters. */
  public static final int USERNAME_MIN_CHARS = 3;

  /** DESIGN §2: usernames are 3–32 characters. */
  public static final int USERNAME_MAX_CHARS = 32;

  /**
   * DESIGN §2: the username alphabet after case-folding. ASCII only, so no two distinct usernames
   * look alike and every client can type them.
   */
  public static final Pattern USERNAME_PATTERN = Pattern.compile("[a-z0-9_.]+");

  /** RFC 5321 §4.5.3.1.3: a forward-path is at most 256 octets including the angle brackets. */
  public static final int EMAIL_MAX_CHARS = 254;

  /** DESIGN §2: a display name is at most 256 characters (after trimming; at least 1). */
  public static final int FULLNAME_MAX_CHARS = 256;

  /** Earliest accepted date of birth: older dates are typing mistakes, not people. */
  public static final LocalDate DOB_EARLIEST = LocalDate.of(1900, 1, 1);

  /** NIST SP 800-63B §5.1.1.2: memorized secrets are at least 8 characters. */
  public static final int PASSWORD_MIN_CHARS = 8;

  /**
   * DESIGN §2: long enough for any passphrase or password manager, short enough that hashing a
   * hostile password with Argon2id stays cheap (the hash input is bounded).
   */
  public static final int PASSWORD_MAX_CHARS = 384;

  /** LOGIN's id is a username or an email, so it is bounded by the longer of the two. */
  public static final int LOGIN_ID_MAX_CHARS = Math.max(USERNAME_MAX_CHARS, EMAIL_MAX_CHARS);

  /** A captcha answer: a few characters for an image, a counter or nonce for proof-of-work. */
  public static final int CAPTCHA_ANSWER_MAX_CHARS = 256;

  /** Session tokens the server issues are far shorter; the bound only stops abuse. */
  public static final int TOKEN_MAX_CHARS = 4096;

  /**
   * A PEM SubjectPublicKeyInfo: an X25519 key is 113 characters, so 1024 leaves room for line-ending
   * variants and any curve we may add, while refusing arbitrary blobs.
   */
  public static final int PUBLIC_KEY_PEM_MAX_CHARS = 1024;

  // --- Rooms (CREATE_ROOM, ALTER_ROOM) ---

  /** A room name fits a chat list row; longer belongs in a topic or a message. */
  public static final int ROOM_NAME_MAX_CHARS = 128;

  /**
   * Most people named in one CREATE_ROOM or ALTER_ROOM add. Every message is wrapped for every member
   * device (DESIGN §3), so big rooms cost every sender; 256 keeps a message's key wrappings well
   * inside {@link #MESSAGE_CONTENT_MAX_BYTES} for a few devices per member.
   */
  public static final int ROOM_PEOPLE_MAX = 256;

  // --- Messages (CHAT_ACTION, SYNC_ROOM_REQ) ---

  /**
   * Decoded ciphertext of one send or edit: 64 KiB holds a long text plus its key wrappings; files
   * (msg-smallfile, msg-largefile) will travel out of band, not inline.
   */
  public static final int MESSAGE_CONTENT_MAX_BYTES = 64 * 1024;

  /** Decoded ciphertext of a delete's optional reason: a sentence, not a document. */
  public static final int DELETE_REASON_MAX_BYTES = 4 * 1024;

  /**
   * Most events one SYNC_ROOM_REQ may ask for: a device back from a day away catches up on a busy
   * room in one round trip (1,000 short messages are ~140 kB of JSON, one frame), where 500 took two
   * round trips and most of the time. It bounds the query, not the reply size: 1,000 full-size
   * messages would exceed a frame, so the message service may return fewer and says so with
   * {@code more: true}.
   */
  public static final int SYNC_MAX_COUNT = 1000;

  // --- Linking a new device (LINK_REQUEST, LINK_BLOB) ---

  /** The random part of a link code's input: 16 bytes, so no two link attempts share a code. */
  public static final int LINK_NONCE_BYTES = 16;

  /**
   * Decoded size of one LINK_BLOB, the same as a message: a blob holds about a thousand past messages'
   * content keys (docs/e2e.md §10).
   */
  public static final int LINK_BLOB_MAX_BYTES = 64 * 1024;

  /**
   * Blobs one link request may receive, from all the account's devices together: LINK_FETCH answers
   * with all of them in one frame, and 8 × 64 KiB (about 700 KB as base64) stays under the 1 MiB frame.
   */
  public static final int LINK_BLOBS_PER_REQUEST = 8;

  /**
   * How long a link request waits for its blobs. Ten minutes covers walking to the other device; it
   * also bounds how long a server could try to forge a key that matches the code (docs/e2e.md §10).
   */
  public static final int LINK_REQUEST_TTL_SECONDS = 600;
}
