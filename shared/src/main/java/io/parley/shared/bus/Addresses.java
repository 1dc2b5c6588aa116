package io.parley.shared.bus;

/**
 * Every event-bus address in Parley, declared once. Services register their handlers here and the
 * gateway routes packets here; a string literal naming an address anywhere else is a bug.
 *
 * <p>Naming: {@code parley.<service>.<request>} for request/reply addresses, {@code parley.events.*}
 * for published facts, {@code parley.gateway.<node>.*} for addresses owned by one gateway process.
 */
public final class Addresses {
  private Addresses() {}

  public static final String AUTH_SIGNUP = "parley.auth.signup";
  public static final String AUTH_CAPTCHA_ANSWER = "parley.auth.captcha-answer";
  public static final String AUTH_LOGIN = "parley.auth.login";
  public static final String AUTH_CHAT_KEY = "parley.auth.chat-key";
  public static final String AUTH_LOGOUT = "parley.auth.logout";

  public static final String ROOM_CREATE = "parley.room.create";
  public static final String ROOM_ALTER = "parley.room.alter";
  public static final String ROOM_LIST = "parley.room.list";
  public static final String ROOM_INFO = "parley.room.info";

  public static final String MESSAGE_CHAT_ACTION = "parley.message.chat-action";
  public static final String MESSAGE_SYNC = "parley.message.sync";
  public static final String MESSAGE_READ_RECEIPT = "parley.message.read-receipt";

  /** Published by the room service whenever membership or room metadata changes. */
  public static final String EVENTS_ROOM_CHANGED = "parley.events.room-changed";

  /** Deliveries of room events to the connections held by one gateway process. */
  public static String gatewayDeliver(String node) {
    return "parley.gateway." + node + ".deliver";
  }
}
