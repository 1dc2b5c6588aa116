package io.parley.shared.channel;

/**
 * A TCP frame header declared a payload longer than the configured limit. Raised before any of the
 * payload is buffered, so a peer cannot make the server allocate memory by lying about a length.
 */
public final class FrameTooLargeException extends Exception {
  private final long declaredLength;
  private final int maxFrameBytes;

  public FrameTooLargeException(long declaredLength, int maxFrameBytes) {
    super("frame of " + declaredLength + " bytes is over the limit of " + maxFrameBytes, null, false, false);
    this.declaredLength = declaredLength;
    this.maxFrameBytes = maxFrameBytes;
  }

  public long declaredLength() {
    return declaredLength;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }
}
