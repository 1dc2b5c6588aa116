package io.parley.shared.protocol;

import io.parley.shared.bus.Addresses;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every packet of the Parley protocol: the seed's names plus our extensions (ROOM_EVENT, ROOM_LIST,
 * ROOM_INFO, DEVICES, REVOKE_DEVICE, DELETE_ACCOUNT). The wire name is the enum name. For client packets the owning service and bus address
 * say where the gateway routes them; {@link Access} says what the connection must have done first.
 */
public enum PacketType {
  CONN_INIT(Service.GATEWAY, null, Access.HANDSHAKE, true),
  CONN_ENCRYPT_S(Service.NONE, null, Access.HANDSHAKE, false),
  CONN_ENCRYPT_C(Service.GATEWAY, null, Access.HANDSHAKE, true),
  STATUS(Service.NONE, null, Access.OPEN, false),

  SIGNUP(Service.AUTH, Addresses.AUTH_SIGNUP, Access.OPEN, true),
  CAPTCHA(Service.NONE, null, Access.OPEN, false),
  S_CAPTCHA(Service.AUTH, Addresses.AUTH_CAPTCHA_ANSWER, Access.OPEN, true),
  LOGIN(Service.AUTH, Addresses.AUTH_LOGIN, Access.OPEN, true),
  CHAT_ENCRYPT_C(Service.AUTH, Addresses.AUTH_CHAT_KEY, Access.AUTHENTICATED, true),
  GEN_TOKEN(Service.NONE, null, Access.OPEN, false),
  AUTH_TOKEN(Service.GATEWAY, null, Access.OPEN, true),
  LOGOUT(Service.AUTH, Addresses.AUTH_LOGOUT, Access.AUTHENTICATED, true),
  DEVICES(Service.AUTH, Addresses.AUTH_DEVICES, Access.AUTHENTICATED, true),
  REVOKE_DEVICE(Service.AUTH, Addresses.AUTH_REVOKE_DEVICE, Access.AUTHENTICATED, true),
  DELETE_ACCOUNT(Service.AUTH, Addresses.AUTH_DELETE_ACCOUNT, Access.AUTHENTICATED, true),

  CREATE_ROOM(Service.ROOM, Addresses.ROOM_CREATE, Access.AUTHENTICATED, true),
  ALTER_ROOM(Service.ROOM, Addresses.ROOM_ALTER, Access.AUTHENTICATED, true),
  ROOM_LIST(Service.ROOM, Addresses.ROOM_LIST, Access.AUTHENTICATED, true),
  ROOM_INFO(Service.ROOM, Addresses.ROOM_INFO, Access.AUTHENTICATED, true),

  CHAT_ACTION(Service.MESSAGE, Addresses.MESSAGE_CHAT_ACTION, Access.AUTHENTICATED, true),
  SYNC_ROOM_REQ(Service.MESSAGE, Addresses.MESSAGE_SYNC, Access.AUTHENTICATED, true),
  SYNC_ROOM_DATA(Service.NONE, null, Access.AUTHENTICATED, false),
  READ_RECEIPT(Service.MESSAGE, Addresses.MESSAGE_READ_RECEIPT, Access.AUTHENTICATED, true),
  ROOM_EVENT(Service.NONE, null, Access.AUTHENTICATED, false);

  private static final Map<String, PacketType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (PacketType type : values()) {
      BY_WIRE_NAME.put(type.name(), type);
    }
  }

  private final Service service;
  private final String address;
  private final Access access;
  private final boolean sentByClient;

  PacketType(Service service, String address, Access access, boolean sentByClient) {
    this.service = service;
    this.address = address;
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

  public Service service() {
    return service;
  }

  /** Bus address of the owning service, or null for gateway-handled and server-only packets. */
  public String address() {
    return address;
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

  /** True for a client request a service answers over the bus. */
  public boolean isRoutedRequest() {
    return isClientRequest() && address != null;
  }

  /**
   * True for a client request the gateway answers itself: AUTH_TOKEN, verified with the token public
   * key and the revocation cache, so a resume costs no bus round trip.
   */
  public boolean isGatewayRequest() {
    return isClientRequest() && service == Service.GATEWAY;
  }
}
