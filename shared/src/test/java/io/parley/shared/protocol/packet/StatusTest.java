package io.parley.shared.protocol.packet;

import static io.parley.shared.protocol.Wire.badPacket;
import static io.parley.shared.protocol.Wire.data;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.StatusCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusTest {

  @ParameterizedTest
  @EnumSource(StatusCode.class)
  @DisplayName("every STATUS code round-trips with and without desc")
  void roundTrip(StatusCode code) {
    Status bare = new Status(code, null);
    assertThat(Status.parse(bare.toData())).isEqualTo(bare);
    assertThat(bare.toData().containsKey("desc")).isFalse();
    Status described = new Status(code, "detail");
    assertThat(Status.parse(described.toData())).isEqualTo(described);
  }

  @Test
  @DisplayName("STATUS as the seed writes it: {sig: CONN_OK}; extra fields (room, event, seq) are ignored")
  void asWritten() {
    assertThat(Status.parse(data("{'sig':'CONN_OK'}"))).isEqualTo(new Status(StatusCode.CONN_OK, null));
    assertThat(Status.parse(data("{'sig':'ROOM_OK','room':'0190a3c4-7e1f-7d2a-9b3c-4d5e6f708192'}")).sig())
        .isEqualTo(StatusCode.ROOM_OK);
  }

  @Test
  @DisplayName("toEnvelope is the same STATUS the rest of the server builds")
  void sameAsEnvelopeStatus() {
    assertThat(new Status(StatusCode.FORBIDDEN, "admins only").toEnvelope().toJson())
        .isEqualTo(Envelope.status(StatusCode.FORBIDDEN, "admins only").toJson());
  }

  @Test
  @DisplayName("a STATUS with no sig, an unknown sig or a non-string desc → BAD_PACKET sig / desc")
  void bad() {
    badPacket("sig", () -> Status.parse(data("{}")));
    badPacket("sig", () -> Status.parse(data("{'sig':'MAYBE_OK'}")));
    badPacket("desc", () -> Status.parse(data("{'sig':'CONN_OK','desc':5}")));
  }
}
