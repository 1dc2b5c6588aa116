package io.parley.shared.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every packet of the Parley protocol: the seed's names plus our extensions (ROOM_EVENT, ROOM_LIST,
 * ROOM_INFO, DEVICES, REVOKE_DEVICE, DELETE_ACCOUNT, LINK_*). The wire name is the enum name; {@link Access} says what the
 * connection must have done first. Which service answers a packet, and at which address, is the
 * bus's business ({@code io.parley.shared.bus.PacketRoutes}), not the wire model's.
 */
public enum PacketType {
  CONN_INIT(Access.HANDSHAKE, true),
  CONN_ENCRYPT_S(Access.HANDSHAKE, false),
  CONN_ENCRYPT_C(Access.HANDSHAKE, true),
  STATUS(Access.OPEN, false),

  SIGNUP(Access.OPEN, true),
  CAPTCHA(Access.OPEN, false),
  S_CAPTCHA(Access.OPEN, true),
  LOGIN(Access.OPEN, true),
  CHAT_ENCRYPT_C(Access.AUTHENTICATED, true),
  GEN_TOKEN(Access.OPEN, false),
  AUTH_TOKEN(Access.OPEN, true),
  LOGOUT(Access.AUTHENTICATED, true),
  DEVICES(Access.AUTHENTICATED, true),
  REVOKE_DEVICE(Access.AUTHENTICATED, true),
  DELETE_ACCOUNT(Access.AUTHENTICATED, true),
  LINK_REQUEST(Access.AUTHENTICATED, true),
  LINK_PENDING(Access.AUTHENTICATED, true),
  LINK_BLOB(Access.AUTHENTICATED, true),
  LINK_FETCH(Access.AUTHENTICATED, true),

  CREATE_ROOM(Access.AUTHENTICATED, true),
  ALTER_ROOM(Access.AUTHENTICATED, true),
  ROOM_LIST(Access.AUTHENTICATED, true),
  ROOM_INFO(Access.AUTHENTICATED, true),

  CHAT_ACTION(Access.AUTHENTICATED, true),
  SYNC_ROOM_REQ(Access.AUTHENTICATED, true),
  SYNC_ROOM_DATA(Access.AUTHENTICATED, false),
  READ_RECEIPT(Access.AUTHENTICATED, true),
  ROOM_EVENT(Access.AUTHENTICATED, false);

  private static final Map<String, PacketType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (PacketType type : values()) {
      BY_WIRE_NAME.put(type.name(), type);
    }
  }

  private final Access access;
  private final boolean sentByClient;

  PacketType(Access access, boolean sentByClient) {
    this.access = access;
    this.sentByClient = sentByClient;
  }

  /** The type with this exact wire name, if any (names are case-sensitive). */
  public static Optional<PacketType> fromWire(String name) {
    return Optional.ofNullable(name == null ? null : BY_WIRE_NAME.get(name));
  }

  public String wireName() {
    return name();
  }

  public Access access() {
    return access;
  }

  public boolean sentByClient() {
    return sentByClient;
  }

  /** True when a client may send this packet after the handshake. */
  public boolean isClientRequest() {
    return sentByClient && access != Access.HANDSHAKE;
  }
}
