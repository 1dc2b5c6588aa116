package io.parley.client;

import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * Where and how to connect.
 *
 * @param host gateway host
 * @param port gateway port for the chosen transport
 * @param transport TCP or WebSocket
 * @param deviceId this installation's device uuid (keep it across runs; see {@link DeviceIds})
 * @param pinnedFingerprint the server identity fingerprint to insist on, or null for trust on first use
 * @param knownServersFile trust-on-first-use store (host:port → fingerprint)
 * @param requestTimeoutMs how long {@link ParleyConnection#request} waits for a reply
 * @param maxFrameBytes the largest frame accepted from the server
 * @param localAddress the local address to connect from (a multi-homed host, tests that play several
 *     client addresses), or null for the system's choice
 */
public record ClientOptions(
    String host,
    int port,
    Transport transport,
    UUID deviceId,
    String pinnedFingerprint,
    Path knownServersFile,
    long requestTimeoutMs,
    int maxFrameBytes,
    String localAddress) {

  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

  public ClientOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(knownServersFile, "knownServersFile");
  }

  /** Connects from the system's choice of local address. */
  public ClientOptions(
      String host,
      int port,
      Transport transport,
      UUID deviceId,
      String pinnedFingerprint,
      Path knownServersFile,
      long requestTimeoutMs,
      int maxFrameBytes) {
    this(host, port, transport, deviceId, pinnedFingerprint, knownServersFile, requestTimeoutMs, maxFrameBytes, null);
  }

  /** TCP to host:port with trust on first use in {@code ~/.parley/client/known_servers}. */
  public static ClientOptions tcp(String host, int port, UUID deviceId) {
    return new ClientOptions(
        host, port, Transport.TCP, deviceId, null, defaultKnownServers(), DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_MAX_FRAME_BYTES);
  }

  public static ClientOptions webSocket(String host, int port, UUID deviceId) {
    return tcp(host, port, deviceId).withTransport(Transport.WEBSOCKET);
  }

  public ClientOptions withTransport(Transport newTransport) {
    return new ClientOptions(host, port, newTransport, deviceId, pinnedFingerprint, knownServersFile, requestTimeoutMs, maxFrameBytes, localAddress);
  }

  public ClientOptions withPinnedFingerprint(String fingerprint) {
    return new ClientOptions(host, port, transport, deviceId, fingerprint, knownServersFile, requestTimeoutMs, maxFrameBytes, localAddress);
  }

  public ClientOptions withKnownServersFile(Path file) {
    return new ClientOptions(host, port, transport, deviceId, pinnedFingerprint, file, requestTimeoutMs, maxFrameBytes, localAddress);
  }

  public ClientOptions withRequestTimeoutMs(long timeoutMs) {
    return new ClientOptions(host, port, transport, deviceId, pinnedFingerprint, knownServersFile, timeoutMs, maxFrameBytes, localAddress);
  }

  public ClientOptions withLocalAddress(String address) {
    return new ClientOptions(host, port, transport, deviceId, pinnedFingerprint, knownServersFile, requestTimeoutMs, maxFrameBytes, address);
  }

  static Path defaultKnownServers() {
    return Path.of(System.getProperty("user.home"), ".parley", "client", "known_servers");
  }
}
