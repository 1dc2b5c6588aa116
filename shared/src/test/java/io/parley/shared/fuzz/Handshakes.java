package io.parley.shared.fuzz;

import io.parley.shared.channel.ClientHandshake;
import io.parley.shared.channel.SecureChannel;
import io.parley.shared.channel.ServerHandshake;
import io.parley.shared.channel.ServerIdentity;
import io.parley.shared.crypto.HandshakeException;
import java.util.UUID;

/**
 * Real handshakes between a {@link ClientHandshake} and a {@link ServerHandshake}, with fixed
 * randomness: the same frames, keys and records in every execution (see {@link FixedRandom}).
 */
final class Handshakes {

  static final ServerIdentity IDENTITY = ServerIdentity.fromSeed(new byte[32]);
  static final UUID DEVICE = UUID.fromString("6f1c2e9a-3b4d-4e5f-8a6b-7c8d9e0f1a2b");

  private Handshakes() {}

  static ServerHandshake server(long maxRecords) {
    return new ServerHandshake(IDENTITY, new FixedRandom("server"), maxRecords);
  }

  static ClientHandshake client(long maxRecords) {
    return new ClientHandshake(DEVICE, new FixedRandom("client"), maxRecords);
  }

  /** Both ends of an established channel, after CONN_OK was confirmed. */
  record Connection(SecureChannel client, SecureChannel server) {}

  static Connection connect(long maxRecords) {
    ClientHandshake client = client(maxRecords);
    ServerHandshake server = server(maxRecords);
    try {
      client.onServerKey(server.respond(client.init()));
      SecureChannel serverChannel = server.complete(client.clientKeyFrame());
      SecureChannel clientChannel = client.complete();
      client.confirm(server.confirmationRecord());
      return new Connection(clientChannel, serverChannel);
    } catch (HandshakeException e) {
      throw new IllegalStateException("the fixed handshake must succeed: " + e.reason(), e);
    }
  }

  /** The CONN_INIT the fixed client sends. */
  static byte[] connInit() {
    return client(SecureChannel.DEFAULT_MAX_RECORDS).init();
  }

  /** The CONN_ENCRYPT_C the fixed client sends in answer to the fixed server. */
  static byte[] connEncryptC() {
    ClientHandshake client = client(SecureChannel.DEFAULT_MAX_RECORDS);
    try {
      client.onServerKey(server(SecureChannel.DEFAULT_MAX_RECORDS).respond(client.init()));
    } catch (HandshakeException e) {
      throw new IllegalStateException("the fixed handshake must succeed: " + e.reason(), e);
    }
    return client.clientKeyFrame();
  }
}
