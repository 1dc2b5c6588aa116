package io.parley.shared.bus;

import io.parley.shared.protocol.PacketType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which process answers each packet type, and at which bus address: the routing of the protocol,
 * kept out of {@link PacketType} so the wire model does not depend on the bus. The switch has no
 * default, so a new packet type does not compile until it is routed here.
 */
public final class PacketRoutes {
  /** The owning process and, for a packet a service answers, its bus address (null otherwise). */
  public record Route(Service service, String address) {}

  private static final Route GATEWAY = new Route(Service.GATEWAY, null);
  private static final Route SERVER_ONLY = new Route(Service.NONE, null);
  private static final Map<PacketType, Route> ROUTES = new EnumMap<>(PacketType.class);

  static {
    for (PacketType type : PacketType.values()) {
      ROUTES.put(type, routeOf(type));
    }
  }

  private PacketRoutes() {}

  private static Route routeOf(PacketType type) {
    return switch (type) {
      case CONN_INIT, CONN_ENCRYPT_C, AUTH_TOKEN -> GATEWAY;
      case CONN_ENCRYPT_S, STATUS, CAPTCHA, GEN_TOKEN, SYNC_ROOM_DATA, ROOM_EVENT -> SERVER_ONLY;
      case SIGNUP -> new Route(Service.AUTH, Addresses.AUTH_SIGNUP);
      case S_CAPTCHA -> new Route(Service.AUTH, Addresses.AUTH_CAPTCHA_ANSWER);
      case LOGIN -> new Route(Service.AUTH, Addresses.AUTH_LOGIN);
      case CHAT_ENCRYPT_C -> new Route(Service.AUTH, Addresses.AUTH_CHAT_KEY);
      case LOGOUT -> new Route(Service.AUTH, Addresses.AUTH_LOGOUT);
      case DEVICES -> new Route(Service.AUTH, Addresses.AUTH_DEVICES);
      case REVOKE_DEVICE -> new Route(Service.AUTH, Addresses.AUTH_REVOKE_DEVICE);
      case DELETE_ACCOUNT -> new Route(Service.AUTH, Addresses.AUTH_DELETE_ACCOUNT);
      case LINK_REQUEST -> new Route(Service.AUTH, Addresses.AUTH_LINK_REQUEST);
      case LINK_PENDING -> new Route(Service.AUTH, Addresses.AUTH_LINK_PENDING);
      case LINK_BLOB -> new Route(Service.AUTH, Addresses.AUTH_LINK_BLOB);
      case LINK_FETCH -> new Route(Service.AUTH, Addresses.AUTH_LINK_FETCH);
      case CREATE_ROOM -> new Route(Service.ROOM, Addresses.ROOM_CREATE);
      case ALTER_ROOM -> new Route(Service.ROOM, Addresses.ROOM_ALTER);
      case ROOM_LIST -> new Route(Service.ROOM, Addresses.ROOM_LIST);
      case ROOM_INFO -> new Route(Service.ROOM, Addresses.ROOM_INFO);
      case CHAT_ACTION -> new Route(Service.MESSAGE, Addresses.MESSAGE_CHAT_ACTION);
      case SYNC_ROOM_REQ -> new Route(Service.MESSAGE, Addresses.MESSAGE_SYNC);
      case READ_RECEIPT -> new Route(Service.MESSAGE, Addresses.MESSAGE_READ_RECEIPT);
    };
  }

  public static Route of(PacketType type) {
    return ROUTES.get(type);
  }

  public static Service service(PacketType type) {
    return of(type).service();
  }

  /** Bus address of the owning service, or null for gateway-handled and server-only packets. */
  public static String address(PacketType type) {
    return of(type).address();
  }

  /** The packet type a service serves at {@code address}, if any: each address serves one type. */
  public static Optional<PacketType> typeServedAt(String address) {
    return ROUTES.entrySet().stream()
        .filter(route -> address.equals(route.getValue().address()))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** True for a client request a service answers over the bus. */
  public static boolean isRoutedRequest(PacketType type) {
    return type.isClientRequest() && address(type) != null;
  }

  /**
   * True for a client request the gateway answers itself: AUTH_TOKEN, verified with the token public
   * key and the revocation cache, so a resume costs no bus round trip.
   */
  public static boolean isGatewayRequest(PacketType type) {
    return type.isClientRequest() && service(type) == Service.GATEWAY;
  }
}
