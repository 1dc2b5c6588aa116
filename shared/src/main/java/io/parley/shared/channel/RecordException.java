package io.parley.shared.channel;

/**
 * A record could not be opened: tampered, replayed, reordered, skipped, truncated, or past the
 * channel's record limit. The counter is implicit, so all but the last show up as an authentication
 * failure and cannot be told apart. The connection must be closed (docs/protocol.md §4).
 */
public final class RecordException extends Exception {
  public RecordException() {
    this("record failed to open");
  }

  public RecordException(String reason) {
    super(reason, null, false, false);
  }
}
