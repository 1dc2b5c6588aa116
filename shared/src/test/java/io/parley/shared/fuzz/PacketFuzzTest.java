package io.parley.shared.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.parley.shared.protocol.BadPacketException;
import io.parley.shared.protocol.Envelope;
import io.parley.shared.protocol.MalformedPacketException;
import io.parley.shared.protocol.PacketCodec;
import io.parley.shared.protocol.PacketType;
import io.parley.shared.protocol.StatusCode;
import io.parley.shared.protocol.packet.ClientPacket;
import io.parley.shared.protocol.packet.Packets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A record's plaintext as the gateway handles it (docs/protocol.md §7): {@link PacketCodec#decode},
 * then for a client request {@link Packets#parse}. Only the three refusals may escape: malformed
 * JSON (PROTOCOL_ERROR), a bad envelope and a bad field (BAD_PACKET / TOO_LARGE). Every refusal can
 * be sent as a STATUS, names its field by path and echoes no value except the short quote of an
 * unknown enum word; an accepted packet is UTF-8 JSON, and its canonical form parses back to itself.
 */
class PacketFuzzTest {

  private static final PacketCodec CODEC = new PacketCodec();
  private static final Pattern FIELD_PATH =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*(\\[[0-9]+])*(\\.[A-Za-z_][A-Za-z0-9_-]*(\\[[0-9]+])*)*");
  /** The one quote §7 allows: "unknown action 'x', expected one of ...". Greedy up to the real end. */
  private static final Pattern ENUM_QUOTE = Pattern.compile("unknown \\S+ '(.*)', expected one of ", Pattern.DOTALL);
  private static final int QUOTE_MAX_CHARS = 32;

  @FuzzTest(maxDuration = "10m")
  void decodeAndParse(byte[] plaintext) throws Exception {
    Envelope envelope;
    try {
      envelope = CODEC.decode(plaintext);
    } catch (MalformedPacketException malformed) {
      checkNoEcho(plaintext, malformed.getMessage());
      return;
    } catch (PacketCodec.BadPacketEnvelope bad) {
      assertThat(bad.getMessage()).matches("(type|id|data): .+");
      checkSendable(bad.toStatus(), StatusCode.BAD_PACKET, bad.getMessage());
      checkNoEcho(plaintext, bad.getMessage());
      return;
    }
    WireText.acceptedJson(plaintext, "a packet");
    Optional<PacketType> type = envelope.packetType().filter(PacketType::isClientRequest);
    if (type.isEmpty()) {
      return;
    }
    ClientPacket packet;
    try {
      packet = Packets.parse(type.get(), envelope.data());
    } catch (BadPacketException bad) {
      assertThat(bad.code()).isIn(StatusCode.BAD_PACKET, StatusCode.TOO_LARGE);
      assertThat(bad.field()).as("the field path").matches(FIELD_PATH);
      assertThat(bad.getMessage()).isEqualTo(bad.field() + ": " + bad.reason());
      checkQuote(bad.reason());
      checkSendable(bad.toStatus(), bad.code(), bad.getMessage());
      checkNoEcho(plaintext, bad.getMessage());
      return;
    }
    // ClientPacket: "Every record's parse(JsonObject) and toData() are inverses", also over the wire.
    assertThat(Packets.parse(type.get(), packet.toData())).isEqualTo(packet);
    Envelope resent = CODEC.decode(CODEC.encode(packet.toEnvelope()));
    assertThat(Packets.parse(type.get(), resent.data())).isEqualTo(packet);
  }

  private static void checkSendable(Envelope status, StatusCode code, String desc) throws MalformedPacketException {
    Envelope sent = CODEC.decode(CODEC.encode(status));
    assertThat(sent.statusCode()).contains(code);
    assertThat(sent.data().getValue("desc")).isEqualTo(desc);
  }

  private static void checkQuote(String reason) {
    Matcher quote = ENUM_QUOTE.matcher(reason);
    if (quote.find()) {
      String quoted = quote.group(1);
      String word = quoted.endsWith("…") ? quoted.substring(0, quoted.length() - 1) : quoted;
      assertThat(word.codePointCount(0, word.length())).as("quoted word").isLessThanOrEqualTo(QUOTE_MAX_CHARS);
      assertThat(word.codePoints().noneMatch(Character::isISOControl)).as("quote without control characters").isTrue();
    }
  }

  private static void checkNoEcho(byte[] plaintext, String reason) {
    assertThat(Echo.find(plaintext, reason, PacketFuzzTest::reasonOf, PacketFuzzTest::withoutEnumQuote))
        .as("the reason %s echoes input", reason)
        .isNull();
  }

  private static String withoutEnumQuote(String reason) {
    Matcher quote = ENUM_QUOTE.matcher(reason);
    return quote.find() ? reason.substring(0, quote.start(1)) + reason.substring(quote.end(1)) : reason;
  }

  /** The reason the gateway would give for these bytes, or null when it accepts them. */
  private static String reasonOf(byte[] plaintext) {
    try {
      Envelope envelope = CODEC.decode(plaintext);
      Optional<PacketType> type = envelope.packetType().filter(PacketType::isClientRequest);
      type.ifPresent(t -> Packets.parse(t, envelope.data()));
      return null;
    } catch (MalformedPacketException | PacketCodec.BadPacketEnvelope e) {
      return e.getMessage();
    } catch (BadPacketException e) {
      return e.getMessage();
    }
  }
}
