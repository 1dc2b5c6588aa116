package io.parley.client.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * Seals and opens message contents for one device (docs/e2e.md). Per message: a random 32-byte
 * content key encrypts the padded text with AES-256-GCM; the key is wrapped for every recipient device
 * in the manner of HPKE's Auth mode (RFC 9180 §5.1.3): ikm = X25519(ephemeral, recipient) ‖
 * X25519(sender static, recipient), HKDF-SHA256 with an info naming the room and both devices, then
 * AES-256-GCM over the content key with the message digest as AAD. Only the holder of the sender's
 * static key can produce a wrap a recipient accepts, so a wrap that opens authenticates the sender to
 * that recipient; the digest in the AAD stops another recipient (who knows the content key) from
 * swapping the body.
 *
 * <p>Thread-safe. The static–static secrets are cached per peer key (one X25519 per recipient per
 * message instead of two).
 */
public final class MessageCrypto {
  /** Plaintext is padded to a multiple of this, so the server learns lengths only to this granularity. */
  static final int PAD_BLOCK = 64;
  private static final int CACHE_MAX = 4096;
  private static final byte PLAINTEXT_TEXT = 1;

  private final ChatKey key;
  private final UUID device;
  private final Map<String, byte[]> staticSecrets = new ConcurrentHashMap<>();

  public MessageCrypto(ChatKey key, UUID device) {
    this.key = key;
    this.device = device;
  }

  public ChatKey key() {
    return key;
  }

  public UUID device() {
    return device;
  }

  /** Seals {@code text} for {@code recipients} (include this device to read it back later); base64. */
  public String seal(SealContext context, String text, List<Recipient> recipients) throws E2eException {
    if (recipients.isEmpty()) {
      throw new E2eException("no recipient device has a chat key");
    }
    if (recipients.size() > SealedMessage.MAX_RECIPIENTS) {
      throw new E2eException("too many recipient devices: " + recipients.size());
    }
    byte[] contentKey = Primitives.random(Primitives.KEY_BYTES);
    X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(Primitives.RANDOM);
    byte[] ephemeralPublic = ephemeral.generatePublicKey().getEncoded();
    byte[] messageId = Primitives.random(16);
    byte[] nonce = Primitives.random(Primitives.GCM_NONCE_BYTES);
    SealedMessage draft = new SealedMessage(device, key.publicKey(), ephemeralPublic, messageId, nonce, List.of(), new byte[0]);
    byte[] ctx = context.encode();
    byte[] header = draft.header();
    byte[] body = Primitives.seal(contentKey, nonce, pad(text), concat(ctx, header));
    byte[] digest = digest(ctx, header, body);
    List<SealedMessage.Wrap> wraps = new ArrayList<>(recipients.size());
    for (Recipient recipient : recipients) {
      byte[] ikm = concat(Primitives.x25519(ephemeral, recipient.publicKey()), staticSecret(recipient.publicKey()));
      byte[] okm = wrapKey(ikm, context, device, recipient.device(), ephemeralPublic, key.publicKey(), recipient.publicKey());
      wraps.add(new SealedMessage.Wrap(
          recipient.device(), Primitives.seal(Arrays.copyOf(okm, 32), Arrays.copyOfRange(okm, 32, 44), contentKey, digest)));
    }
    SealedMessage sealed = new SealedMessage(device, key.publicKey(), ephemeralPublic, messageId, nonce, wraps, body);
    return Base64.getEncoder().encodeToString(sealed.encode());
  }

  /**
   * Opens a content this device received.
   *
   * @param senderDevice the device the server names as sender ({@code sender_device} of the event)
   * @param expectedSenderKey the key this client pinned or read in the key directory for that device,
   *     or null when it knows none
   */
  public Decrypted open(SealContext context, UUID senderDevice, String contentBase64, byte[] expectedSenderKey) {
    return open(context, senderDevice, contentBase64, null, expectedSenderKey);
  }

  /**
   * Opens a content with a content key another device of this person shared (docs/e2e.md §10) instead
   * of this device's wrap: the body must still open under the room, kind, target and sender it is
   * bound to, and the sender key it names is judged as in {@link #open(SealContext, UUID, String, byte[])}.
   */
  public Decrypted openWithSharedKey(SealContext context, UUID senderDevice, String contentBase64, byte[] contentKey, byte[] expectedSenderKey) {
    return open(context, senderDevice, contentBase64, contentKey, expectedSenderKey);
  }

  /**
   * The content key of a content this device can open (its wrap and the body both open), to share with
   * a newly linked device of the same person; empty otherwise.
   */
  public Optional<byte[]> contentKey(SealContext context, UUID senderDevice, String contentBase64) {
    try {
      SealedMessage sealed = parse(contentBase64, senderDevice);
      byte[] contentKey = unwrap(context, sealed);
      Primitives.open(contentKey, sealed.nonce(), sealed.body(), concat(context.encode(), sealed.header()));
      return Optional.of(contentKey);
    } catch (E2eException e) {
      return Optional.empty();
    }
  }

  private Decrypted open(SealContext context, UUID senderDevice, String contentBase64, byte[] sharedKey, byte[] expectedSenderKey) {
    SealedMessage sealed;
    try {
      sealed = parse(contentBase64, senderDevice);
    } catch (E2eException e) {
      return Decrypted.undecryptable(e.getMessage());
    }
    byte[] contentKey = sharedKey;
    if (contentKey == null) {
      if (wrapFor(sealed) == null) {
        return Decrypted.notForThisDevice();
      }
      try {
        contentKey = unwrap(context, sealed);
      } catch (E2eException e) {
        return Decrypted.undecryptable(e.getMessage());
      }
    }
    String text;
    try {
      byte[] padded;
      try {
        padded = Primitives.open(contentKey, sealed.nonce(), sealed.body(), concat(context.encode(), sealed.header()));
      } catch (E2eException e) {
        return Decrypted.undecryptable("the message body does not open: it was altered");
      }
      text = unpad(padded);
    } catch (E2eException e) {
      return Decrypted.undecryptable(e.getMessage());
    }
    String messageId = HexFormat.of().formatHex(sealed.messageId());
    if (expectedSenderKey == null) {
      return Decrypted.unverified(text, messageId, "the sender's device " + senderDevice + " is not in this room's key directory");
    }
    if (!MessageDigest.isEqual(expectedSenderKey, sealed.senderKey())) {
      return Decrypted.unverified(
          text,
          messageId,
          "sealed with key " + ChatKey.fingerprint(sealed.senderKey()) + " but the key directory has "
              + ChatKey.fingerprint(expectedSenderKey) + " for device " + senderDevice);
    }
    return Decrypted.ok(text, messageId);
  }

  private static SealedMessage parse(String contentBase64, UUID senderDevice) throws E2eException {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(contentBase64);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new E2eException("content is not base64");
    }
    SealedMessage sealed = SealedMessage.parse(bytes);
    if (senderDevice != null && !sealed.senderDevice().equals(senderDevice)) {
      throw new E2eException("sealed by device " + sealed.senderDevice() + " but delivered as from " + senderDevice);
    }
    return sealed;
  }

  private SealedMessage.Wrap wrapFor(SealedMessage sealed) {
    for (SealedMessage.Wrap wrap : sealed.wraps()) {
      if (wrap.device().equals(device)) {
        return wrap;
      }
    }
    return null;
  }

  /** This device's wrap, opened: the content key. */
  private byte[] unwrap(SealContext context, SealedMessage sealed) throws E2eException {
    SealedMessage.Wrap mine = wrapFor(sealed);
    if (mine == null) {
      throw new E2eException("this device was not a recipient of the message");
    }
    byte[] digest = digest(context.encode(), sealed.header(), sealed.body());
    byte[] ikm = concat(Primitives.x25519(key.privateKey(), sealed.ephemeralKey()), staticSecret(sealed.senderKey()));
    byte[] okm = wrapKey(ikm, context, sealed.senderDevice(), device, sealed.ephemeralKey(), sealed.senderKey(), key.publicKey());
    try {
      return Primitives.open(Arrays.copyOf(okm, 32), Arrays.copyOfRange(okm, 32, 44), mine.wrappedKey(), digest);
    } catch (E2eException e) {
      throw new E2eException("the key wrapped for this device does not open: the message was altered or forged");
    }
  }

  private byte[] staticSecret(byte[] peer) throws E2eException {
    String id = HexFormat.of().formatHex(peer);
    byte[] cached = staticSecrets.get(id);
    if (cached != null) {
      return cached;
    }
    byte[] secret = Primitives.x25519(key.privateKey(), peer);
    if (staticSecrets.size() >= CACHE_MAX) {
      staticSecrets.clear();
    }
    staticSecrets.put(id, secret);
    return secret;
  }

  /** HKDF-SHA256: salt "parley-e2e v1 wrap", info = context ‖ both devices ‖ all three public keys; 32-byte key ‖ 12-byte nonce. */
  private static byte[] wrapKey(
      byte[] ikm, SealContext context, UUID sender, UUID recipient, byte[] ephemeral, byte[] senderKey, byte[] recipientKey) {
    ByteArrayOutputStream info = new ByteArrayOutputStream(256);
    info.writeBytes(context.encode());
    SealedMessage.uuid(info, sender);
    SealedMessage.uuid(info, recipient);
    info.writeBytes(ephemeral);
    info.writeBytes(senderKey);
    info.writeBytes(recipientKey);
    return Primitives.hkdf(Primitives.ascii("parley-e2e v1 wrap"), ikm, info.toByteArray(), 44);
  }

  private static byte[] digest(byte[] ctx, byte[] header, byte[] body) {
    return Primitives.sha256(Primitives.ascii("parley-e2e v1 digest"), ctx, header, body);
  }

  /** type (1 = UTF-8 text) ‖ length (4, big-endian) ‖ text ‖ zeros up to a multiple of {@link #PAD_BLOCK}. */
  static byte[] pad(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int used = 5 + utf8.length;
    int total = ((used + PAD_BLOCK - 1) / PAD_BLOCK) * PAD_BLOCK;
    return ByteBuffer.allocate(total).put(PLAINTEXT_TEXT).putInt(utf8.length).put(utf8).array();
  }

  static String unpad(byte[] padded) throws E2eException {
    if (padded.length < 5 || padded[0] != PLAINTEXT_TEXT) {
      throw new E2eException("unknown plaintext type");
    }
    int length = ByteBuffer.wrap(padded, 1, 4).getInt();
    if (length < 0 || length > padded.length - 5) {
      throw new E2eException("plaintext length out of range");
    }
    for (int i = 5 + length; i < padded.length; i++) {
      if (padded[i] != 0) {
        throw new E2eException("plaintext padding is not zero");
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(padded, 5, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new E2eException("plaintext is not UTF-8");
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
