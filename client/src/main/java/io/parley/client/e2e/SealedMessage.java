package io.parley.client.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The binary layout of a sealed message (docs/e2e.md §3), base64-encoded into CHAT_ACTION
 * {@code content} / {@code reason}. Binary rather than JSON because a group of 256 members with a few
 * devices each must fit the server's 64 KiB content limit: 64 bytes per recipient device here, about
 * 150 as JSON with base64 fields.
 *
 * <pre>
 * offset size
 *   0     1   version = 1
 *   1     1   flags = 0 (reserved; a reader refuses other values)
 *   2    16   sender device id
 *  18    32   sender X25519 chat public key
 *  50    32   ephemeral X25519 public key (one per message)
 *  82    16   message id (random; receivers detect a replayed message by it)
 *  98    12   body nonce
 * 110     2   n = number of recipients, big-endian, ≥ 1
 * 112  64·n   recipients: device id (16) ‖ wrapped content key (32 + 16 tag)
 *   …   rest  body: AES-256-GCM ciphertext ‖ tag (16)
 * </pre>
 * The first 110 bytes are the header; the context, header and body are authenticated by the body
 * tag and, through the digest, by every wrap.
 */
record SealedMessage(
    UUID senderDevice, byte[] senderKey, byte[] ephemeralKey, byte[] messageId, byte[] nonce, List<Wrap> wraps, byte[] body) {

  static final int VERSION = 1;
  static final int HEADER_BYTES = 110;
  static final int WRAP_BYTES = 16 + Primitives.KEY_BYTES + Primitives.GCM_TAG_BYTES;
  static final int MAX_RECIPIENTS = 0xFFFF;

  record Wrap(UUID device, byte[] wrappedKey) {}

  byte[] header() {
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES);
    buf.put((byte) VERSION).put((byte) 0);
    putUuid(buf, senderDevice);
    buf.put(senderKey).put(ephemeralKey).put(messageId).put(nonce);
    return buf.array();
  }

  byte[] encode() {
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 2 + WRAP_BYTES * wraps.size() + body.length);
    buf.put(header());
    buf.putShort((short) wraps.size());
    for (Wrap wrap : wraps) {
      putUuid(buf, wrap.device());
      buf.put(wrap.wrappedKey());
    }
    buf.put(body);
    return buf.array();
  }

  static SealedMessage parse(byte[] bytes) throws E2eException {
    if (bytes.length < 1) {
      throw new E2eException("empty content");
    }
    if ((bytes[0] & 0xFF) != VERSION) {
      throw new E2eException("unknown sealed-message version " + (bytes[0] & 0xFF) + "; a newer client sent it");
    }
    if (bytes.length < HEADER_BYTES + 2 + WRAP_BYTES + Primitives.GCM_TAG_BYTES) {
      throw new E2eException("content too short for a sealed message");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.get();
    if (buf.get() != 0) {
      throw new E2eException("unknown sealed-message flags");
    }
    UUID sender = getUuid(buf);
    byte[] senderKey = take(buf, 32);
    byte[] ephemeral = take(buf, 32);
    byte[] messageId = take(buf, 16);
    byte[] nonce = take(buf, Primitives.GCM_NONCE_BYTES);
    int n = buf.getShort() & 0xFFFF;
    if (n == 0 || buf.remaining() < (long) n * WRAP_BYTES + Primitives.GCM_TAG_BYTES) {
      throw new E2eException("recipient list does not fit the content");
    }
    List<Wrap> wraps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      wraps.add(new Wrap(getUuid(buf), take(buf, Primitives.KEY_BYTES + Primitives.GCM_TAG_BYTES)));
    }
    byte[] body = take(buf, buf.remaining());
    return new SealedMessage(sender, senderKey, ephemeral, messageId, nonce, wraps, body);
  }

  private static byte[] take(ByteBuffer buf, int n) {
    byte[] out = new byte[n];
    buf.get(out);
    return out;
  }

  private static void putUuid(ByteBuffer buf, UUID id) {
    buf.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
  }

  private static UUID getUuid(ByteBuffer buf) {
    return new UUID(buf.getLong(), buf.getLong());
  }

  static void uuid(ByteArrayOutputStream out, UUID id) {
    out.writeBytes(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
  }

  static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
    out.write((bytes.length >>> 8) & 0xFF);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedMessage other && Arrays.equals(encode(), other.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "SealedMessage[from " + senderDevice + ", " + wraps.size() + " recipients, " + body.length + " body bytes]";
  }
}
