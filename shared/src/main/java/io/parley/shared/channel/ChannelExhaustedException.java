package io.parley.shared.channel;

/**
 * The channel has sealed its maximum number of records in this direction (AES-GCM usage limit); the
 * peers must reconnect to get fresh keys.
 */
public final class ChannelExhaustedException extends Exception {
  public ChannelExhaustedException(long maxRecords) {
    super("channel sealed its limit of " + maxRecords + " records; reconnect", null, false, false);
  }
}
