package io.parley.client.e2e;

import java.util.UUID;

/** One device a message key is wrapped for: its id and raw X25519 chat public key. */
public record Recipient(String user, UUID device, byte[] publicKey) {}
