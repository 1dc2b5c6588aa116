package io.parley.shared.protocol.packet;

import static io.parley.shared.protocol.Wire.badPacket;
import static io.parley.shared.protocol.Wire.data;
import static io.parley.shared.protocol.Wire.refused;
import static io.parley.shared.protocol.Wire.x25519Pem;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gateway's one call: Packets.parse(type, data). */
class PacketsTest {

  private static final String ROOM = "0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192";
  private static final String MSG = "0190a3c5-0000-7000-8000-000000000001";

  /** One valid data object for every request a client sends after the handshake. */
  private static Map<PacketType, JsonObject> examples() {
    Map<PacketType, JsonObject> examples = new EnumMap<>(PacketType.class);
    examples.put(PacketType.SIGNUP, data("{'user':'ada','email':'ada@example.org','fullname':'Ada','dob':'1990-05-17','password':'correct horse'}"));
    examples.put(PacketType.S_CAPTCHA, data("{'solved':'x7Kp2'}"));
    examples.put(PacketType.LOGIN, data("{'id':'ada','password':'correct horse','save':true}"));
    examples.put(PacketType.CHAT_ENCRYPT_C, new JsonObject().put("chat_pubkey", x25519Pem()));
    examples.put(PacketType.AUTH_TOKEN, data("{'user':'ada','token':'tok'}"));
    examples.put(PacketType.LOGOUT, data("{'scope':'all'}"));
    examples.put(PacketType.DEVICES, data("{}"));
    examples.put(PacketType.REVOKE_DEVICE, data("{'device':'" + MSG + "'}"));
    examples.put(PacketType.DELETE_ACCOUNT, data("{'password':'correct horse'}"));
    examples.put(PacketType.LINK_REQUEST, data("{'nonce':'q83vASNFZ4mrze8BI0VniQ=='}"));
    examples.put(PacketType.LINK_PENDING, data("{}"));
    examples.put(PacketType.LINK_BLOB, data("{'device':'" + MSG + "','blob':'AQID'}"));
    examples.put(PacketType.LINK_FETCH, data("{}"));
    examples.put(PacketType.CREATE_ROOM, data("{'room-type':1,'room-name':'Club','people':['bob']}"));
    examples.put(PacketType.ALTER_ROOM, data("{'action':'leave','actiondata':{'room':'" + ROOM + "'}}"));
    examples.put(PacketType.ROOM_LIST, data("{}"));
    examples.put(PacketType.ROOM_INFO, data("{'room':'" + ROOM + "'}"));
    examples.put(PacketType.CHAT_ACTION, data("{'room':'" + ROOM + "','action':'pin','actiondata':{'msg':'" + MSG + "'}}"));
    examples.put(PacketType.SYNC_ROOM_REQ, data("{'room':'" + ROOM + "','count':50,'from':null}"));
    examples.put(PacketType.READ_RECEIPT, data("{'room':'" + ROOM + "','msg':'" + MSG + "'}"));
    return examples;
  }

  @Test
  @DisplayName("every routed client request has a record: parse → same type → toData → parse is stable")
  void everyRequestParsesAndRoundTrips() {
    Map<PacketType, JsonObject> examples = examples();
    assertThat(examples.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(PacketType.values()).filter(PacketType::isClientRequest).toList());
    examples.forEach(
        (type, data) -> {
          ClientPacket packet = Packets.parse(type, data);
          assertThat(packet.type()).isEqualTo(type);
          assertThat(Packets.parse(type, packet.toData())).isEqualTo(packet);
          Envelope envelope = packet.toEnvelope();
          assertThat(envelope.is(type)).isTrue();
          assertThat(envelope.data()).isEqualTo(packet.toData());
        });
  }

  @Test
  @DisplayName("unknown extra fields are ignored, at the top and inside actiondata (forward compatibility)")
  void extraFieldsIgnored() {
    ClientPacket plain = Packets.parse(PacketType.CHAT_ACTION, examples().get(PacketType.CHAT_ACTION));
    JsonObject extended = examples().get(PacketType.CHAT_ACTION).put("priority", "high");
    extended.getJsonObject("actiondata").put("silent", true);
    assertThat(Packets.parse(PacketType.CHAT_ACTION, extended)).isEqualTo(plain);
  }

  @Test
  @DisplayName("a missing data object reads as {}: fine for LOGOUT, 'required' for LOGIN")
  void nullData() {
    assertThat(Packets.parse(PacketType.LOGOUT, null)).isEqualTo(new Logout(Logout.Scope.DEVICE));
    badPacket("id", () -> Packets.parse(PacketType.LOGIN, null));
  }

  @ParameterizedTest
  @EnumSource(value = PacketType.class, names = {"CONN_INIT", "CONN_ENCRYPT_S", "CONN_ENCRYPT_C", "STATUS", "CAPTCHA", "GEN_TOKEN", "SYNC_ROOM_DATA", "ROOM_EVENT"})
  @DisplayName("a server or handshake packet sent as a request → UNKNOWN_TYPE type")
  void notARequest(PacketType type) {
    refused(StatusCode.UNKNOWN_TYPE, "type", () -> Packets.parse(type, new JsonObject()));
  }

  @Test
  @DisplayName("a BAD_PACKET reply names the field and keeps the request id")
  void badPacketReply() {
    JsonObject data = examples().get(PacketType.SIGNUP).put("password", "ada");
    try {
      Packets.parse(PacketType.SIGNUP, data);
    } catch (io.parley.shared.protocol.BadPacketException e) {
      Envelope reply = e.toStatus().withId("req-7");
      assertThat(reply.toJson())
          .isEqualTo(new JsonObject().put("type", "STATUS").put("id", "req-7")
              .put("data", new JsonObject().put("sig", "BAD_PACKET").put("desc", "password: must be 8–384 characters, got 3")));
      return;
    }
    throw new AssertionError("expected BAD_PACKET");
  }
}
