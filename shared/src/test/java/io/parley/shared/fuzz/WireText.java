package io.parley.shared.fuzz;

import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An independent reading of accepted bytes: frames and packets are UTF-8 JSON objects
 * (docs/protocol.md §2 and §4), so whatever the codec accepts must decode as strict UTF-8 and parse
 * with a second JSON parser. A disagreement means the server accepts what another implementation
 * of the protocol would refuse.
 */
final class WireText {
  private WireText() {}

  static JsonObject acceptedJson(byte[] bytes, String what) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError(what + " was accepted but is not UTF-8 (docs/protocol.md: frames and packets are UTF-8 JSON)");
    }
    // RFC 8259 §8.1 lets a parser ignore a byte order mark.
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      return fail("%s was accepted but another JSON parser refuses it: %s", what, e.getMessage());
    }
  }
}
