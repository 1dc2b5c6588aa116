package io.parley.client.cli;

import io.parley.shared.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How long a typed message may be. The server's limit ({@link Limits#MESSAGE_CONTENT_MAX_BYTES}) is
 * on the sealed content, which is the text plus a header and one key wrapping per recipient device;
 * keeping 4 KB of it for those leaves room for about fifty devices, so text under this limit is not
 * refused by the server in any room a person is likely to be in.
 */
final class TextLimit {
  static final int MAX_TEXT_BYTES = Limits.MESSAGE_CONTENT_MAX_BYTES - 4 * 1024;

  private TextLimit() {}

  /** The refusal to show for {@code text}, or empty when it fits. */
  static Optional<String> refusal(String text) {
    return refusalForBytes(text.getBytes(StandardCharsets.UTF_8).length);
  }

  static Optional<String> refusalForBytes(long bytes) {
    if (bytes <= MAX_TEXT_BYTES) {
      return Optional.empty();
    }
    return Optional.of("too long (" + kb(bytes) + " KB, limit " + kb(MAX_TEXT_BYTES) + " KB); not sent");
  }

  private static long kb(long bytes) {
    return (bytes + 1023) / 1024;
  }
}
