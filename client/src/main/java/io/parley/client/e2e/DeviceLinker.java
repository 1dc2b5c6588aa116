package io.parley.client.e2e;

import io.parley.client.Links;
import io.parley.shared.crypto.HandshakeException;
import io.parley.shared.crypto.Pem;
import io.parley.shared.events.RoomEvent;
import io.parley.shared.events.RoomEventKind;
import io.parley.shared.protocol.Limits;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Linking a new device to its person's other devices (docs/e2e.md §10). On the new device: ask for a
 * link and show the code, then receive the blobs and keep the content keys they carry. On an existing
 * device: find the request the typed code was made for, collect the content keys of the latest
 * {@link #EVENTS_PER_ROOM} sealed events of every room that it can read with a verified sender, and
 * send them sealed to the new device's chat key. Runs on the chat's context.
 */
final class DeviceLinker {
  /** How far back a link reaches in each room: the cost of a link grows with it (docs/e2e.md §10). */
  static final int EVENTS_PER_ROOM = 200;
  /** Entries of 82 characters each keep a sealed blob under {@link Limits#LINK_BLOB_MAX_BYTES}. */
  static final int KEYS_PER_BLOB = 700;
  private static final String PROOF = "proof ";

  /** What the new device waits for: its code and the nonce the server relays to the other devices. */
  private record Waiting(LinkCode code, byte[] nonce) {}

  /** Reads a room's latest events, oldest first. */
  interface RecentEvents {
    Future<List<RoomEvent>> latest(UUID room, int count);
  }

  private final MessageCrypto crypto;
  private final RoomSealer sealer;
  private final StateStore store;
  private final Supplier<String> user;
  private final Supplier<Links> links;
  private final Supplier<Future<List<UUID>>> rooms;
  private final RecentEvents recent;
  private Waiting waiting;

  DeviceLinker(MessageCrypto crypto, RoomSealer sealer, StateStore store, Supplier<String> user, Supplier<Links> links,
      Supplier<Future<List<UUID>>> rooms, RecentEvents recent) {
    this.crypto = crypto;
    this.sealer = sealer;
    this.store = store;
    this.user = user;
    this.links = links;
    this.rooms = rooms;
    this.recent = recent;
  }

  // ------------------------------------------------------------ on the new device

  /** LINK_REQUEST with a fresh nonce; the code to show. A second call starts over with a new code. */
  Future<LinkCode> request() {
    byte[] nonce = Primitives.random(Limits.LINK_NONCE_BYTES);
    LinkCode code = LinkCode.create(crypto.device(), crypto.key().publicKey(), nonce);
    return links.get().request(Base64.getEncoder().encodeToString(nonce)).map(v -> {
      waiting = new Waiting(code, nonce);
      return code;
    });
  }

  /**
   * LINK_FETCH: opens the blobs that arrived, checks each one's proof of the code, and keeps the keys
   * they carry. Completes with the number of keys received (0 while none arrived); fails with
   * {@link E2eException} when a blob does not open or its proof is wrong — someone who did not read
   * the code tried to feed this device keys — and the link is abandoned.
   */
  Future<Integer> receive() {
    Waiting expected = waiting;
    if (expected == null) {
      return Future.failedFuture(new IllegalStateException("this device has not asked to be linked: request a link first"));
    }
    return links.get().fetch().compose(blobs -> {
      Map<UUID, byte[]> keys = new LinkedHashMap<>();
      for (Links.Blob blob : blobs) {
        Decrypted opened = crypto.open(context(crypto.device(), expected.nonce()), blob.from(), blob.blob(), null);
        Optional<Map<UUID, byte[]>> entries = opened.text() == null ? Optional.empty() : verified(opened.text(), expected);
        if (entries.isEmpty()) {
          waiting = null;
          return Future.failedFuture(new E2eException(
              "a link blob from device " + blob.from() + " did not prove it knew the code; the link is abandoned, start again"));
        }
        keys.putAll(entries.get());
      }
      if (blobs.isEmpty()) {
        return Future.succeededFuture(0);
      }
      waiting = null;
      return store.addHistoryKeys(keys).map(keys.size());
    });
  }

  // ------------------------------------------------------------ on an existing device

  /**
   * The person typed {@code code} here: finds the request it was shown for (its key must hash to the
   * code, else the server handed over another key), and sends it the keys of the recent past. Completes
   * with the number of keys shared.
   */
  Future<Integer> approve(LinkCode code) {
    return links.get().pending().compose(requests -> {
      for (Links.Request request : requests) {
        byte[] key;
        byte[] nonce;
        try {
          key = Pem.decodePublic(Pem.KeyType.X25519, request.chatPublicKeyPem(), "chat_pubkey");
          nonce = Base64.getDecoder().decode(request.nonce());
        } catch (HandshakeException | IllegalArgumentException e) {
          continue;
        }
        if (!request.device().equals(crypto.device()) && code.binds(request.device(), key, nonce)) {
          return collectKeys().compose(keys -> send(code, request.device(), key, nonce, keys));
        }
      }
      return Future.failedFuture(new E2eException(
          "no device of this account is waiting for code " + code + " with the key it was made for: check the code, or start again on the new device"));
    });
  }

  private Future<Map<UUID, byte[]>> collectKeys() {
    return rooms.get().compose(list -> {
      Future<Map<UUID, byte[]>> all = Future.succeededFuture(new LinkedHashMap<>());
      for (UUID room : list) {
        all = all.compose(keys -> recent.latest(room, EVENTS_PER_ROOM).compose(sealer::contentKeys).map(more -> {
          keys.putAll(more);
          return keys;
        }));
      }
      return all;
    });
  }

  private Future<Integer> send(LinkCode code, UUID device, byte[] key, byte[] nonce, Map<UUID, byte[]> keys) {
    List<Map<UUID, byte[]>> chunks = chunks(keys);
    Future<Void> sent = Future.succeededFuture();
    int shared = 0;
    for (Map<UUID, byte[]> chunk : chunks) {
      String blob;
      try {
        blob = crypto.seal(context(device, nonce), withProof(code, device, nonce, chunk),
            List.of(new Recipient(user.get(), device, key)));
      } catch (E2eException e) {
        return Future.failedFuture(e);
      }
      shared += chunk.size();
      sent = sent.compose(v -> links.get().send(device, blob));
    }
    int total = shared;
    return sent.map(total);
  }

  /** At most {@link Limits#LINK_BLOBS_PER_REQUEST} blobs; past that, the oldest keys are left out. */
  private static List<Map<UUID, byte[]>> chunks(Map<UUID, byte[]> keys) {
    List<Map.Entry<UUID, byte[]>> entries = new ArrayList<>(keys.entrySet());
    int max = KEYS_PER_BLOB * Limits.LINK_BLOBS_PER_REQUEST;
    if (entries.size() > max) {
      entries = entries.subList(entries.size() - max, entries.size());
    }
    List<Map<UUID, byte[]>> out = new ArrayList<>();
    // An empty link still sends one blob, so the new device hears that it is linked.
    for (int from = 0; from < Math.max(1, entries.size()); from += KEYS_PER_BLOB) {
      Map<UUID, byte[]> chunk = new LinkedHashMap<>();
      entries.subList(from, Math.min(entries.size(), from + KEYS_PER_BLOB)).forEach(e -> chunk.put(e.getKey(), e.getValue()));
      out.add(chunk);
    }
    return out;
  }

  // ------------------------------------------------------------ the blob's text

  /**
   * The context a blob is sealed in: the §2 context with the new device's id in place of the room,
   * kind {@code key.saved} (no message is ever sealed under it) and the nonce as the target, so a blob
   * opens only for the request it was made for.
   */
  static SealContext context(UUID newDevice, byte[] nonce) {
    return new SealContext(newDevice, RoomEventKind.KEY_SAVED, UUID.nameUUIDFromBytes(nonce), "parley-link");
  }

  /** {@code proof <base64 HMAC-SHA256(proof key, entries)>\n} then the entries. */
  private static String withProof(LinkCode code, UUID device, byte[] nonce, Map<UUID, byte[]> keys) {
    String entries = HistoryKeys.format(keys);
    return PROOF + Base64.getEncoder().encodeToString(mac(code.proofKey(device, nonce), entries)) + "\n" + entries;
  }

  private Optional<Map<UUID, byte[]>> verified(String text, Waiting expected) {
    int end = text.indexOf('\n');
    if (!text.startsWith(PROOF) || end < 0) {
      return Optional.empty();
    }
    byte[] proof;
    try {
      proof = Base64.getDecoder().decode(text.substring(PROOF.length(), end));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String entries = text.substring(end + 1);
    byte[] expectedProof = mac(expected.code().proofKey(crypto.device(), expected.nonce()), entries);
    return MessageDigest.isEqual(proof, expectedProof) ? Optional.of(HistoryKeys.parse(entries)) : Optional.empty();
  }

  private static byte[] mac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
