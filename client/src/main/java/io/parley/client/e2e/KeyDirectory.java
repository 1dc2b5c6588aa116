package io.parley.client.e2e;

import io.parley.shared.crypto.Pem;
import io.parley.shared.events.RoomEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Rooms' key directories (ROOM_INFO's members and their devices' chat keys) judged against this
 * client's {@link KeyPins} (docs/e2e.md §5): a device seen for the first time is pinned, a device
 * whose listed key differs from its pin is reported once per read and gets no wraps until the user
 * trusts the new key. Every use reads the directory afresh: a send, so that a member removed a
 * moment ago gets no wrap; and opening an event from a device without a pin, which is a device the
 * last read did not list (every listed device is pinned on sight), so an older read cannot help.
 *
 * <p>Runs on the chat's context.
 */
final class KeyDirectory {
  /** A room's directory as read: each device's entry and owner, and the members in listed order. */
  record Listing(Map<UUID, MemberKeys.Device> devices, Map<UUID, String> owners, List<MemberKeys> members) {
    static final Listing EMPTY = new Listing(Map.of(), Map.of(), List.of());
  }

  /** Who a sealed content is for, and which devices were left out because their key changed ("user/device"). */
  record Recipients(List<Recipient> devices, List<String> skipped) {}

  private final UUID ownDevice;
  private final byte[] ownKey;
  private final KeyPins pins;
  private final Function<UUID, Future<JsonObject>> roomInfo;
  private final Supplier<Future<Void>> savePins;
  private final Consumer<String> warn;

  /**
   * @param roomInfo ROOM_INFO's data for a room
   * @param savePins persists the pins after one was added
   * @param warn tells the person about a changed or unusable key
   */
  KeyDirectory(UUID ownDevice, byte[] ownKey, KeyPins pins, Function<UUID, Future<JsonObject>> roomInfo,
      Supplier<Future<Void>> savePins, Consumer<String> warn) {
    this.ownDevice = ownDevice;
    this.ownKey = ownKey;
    this.pins = pins;
    this.roomInfo = roomInfo;
    this.savePins = savePins;
    this.warn = warn;
  }

  /** Reads the room's directory, judges every device against the pins and persists new pins. */
  Future<Listing> read(UUID room) {
    return roomInfo.apply(room).compose(info -> {
      Map<UUID, MemberKeys.Device> devices = new LinkedHashMap<>();
      Map<UUID, String> owners = new HashMap<>();
      List<MemberKeys> members = new ArrayList<>();
      boolean pinned = false;
      for (Object m : info.getJsonArray("members", new JsonArray())) {
        JsonObject member = (JsonObject) m;
        String user = member.getString("user");
        List<MemberKeys.Device> memberDevices = new ArrayList<>();
        for (Object d : member.getJsonArray("devices", new JsonArray())) {
          JsonObject listed = (JsonObject) d;
          UUID id;
          byte[] key;
          try {
            id = UUID.fromString(listed.getString("device"));
            key = Pem.decodePublic(Pem.KeyType.X25519, listed.getString("chat_pubkey"), "chat_pubkey");
          } catch (Exception e) {
            warn.accept("the key directory of room " + room + " lists an unusable key for " + user + ": " + e.getMessage());
            continue;
          }
          KeyPins.Verdict verdict = pins.check(id, user, key);
          if (verdict == KeyPins.Verdict.NEW) {
            pinned = true;
          } else if (verdict == KeyPins.Verdict.CHANGED) {
            warn.accept("the chat key of " + user + "'s device " + id + " changed to " + ChatKey.fingerprint(key)
                + "; that device gets no messages from here until you trust the new key (/trust)");
          }
          MemberKeys.Device entry = new MemberKeys.Device(id, key, verdict);
          devices.put(id, entry);
          owners.put(id, user);
          memberDevices.add(entry);
        }
        members.add(new MemberKeys(user, member.getString("role"), memberDevices));
      }
      Listing listing = new Listing(devices, owners, members);
      return pinned ? savePins.get().map(listing) : Future.succeededFuture(listing);
    });
  }

  Future<List<MemberKeys>> members(UUID room) {
    return read(room).map(Listing::members);
  }

  /** The user accepts the key the directory now lists for {@code device} (checked out of band). */
  Future<Void> trust(UUID room, UUID device) {
    return read(room).compose(listing -> {
      MemberKeys.Device entry = listing.devices().get(device);
      if (entry == null) {
        return Future.failedFuture(new IllegalArgumentException("device " + device + " is not in the key directory of " + room));
      }
      pins.accept(device, listing.owners().get(device), entry.key());
      return savePins.get();
    });
  }

  /** This device first, then every device of the directory whose key matches its pin (or is new). */
  Future<Recipients> recipients(UUID room, String self) {
    return read(room).map(listing -> {
      List<Recipient> devices = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      devices.add(new Recipient(self, ownDevice, ownKey));
      listing.devices().forEach((device, entry) -> {
        if (device.equals(ownDevice)) {
          return;
        }
        if (entry.pin() == KeyPins.Verdict.CHANGED) {
          skipped.add(listing.owners().get(device) + "/" + device);
        } else {
          devices.add(new Recipient(listing.owners().get(device), device, entry.key()));
        }
      });
      return new Recipients(devices, skipped);
    });
  }

  /**
   * The key this client trusts for the device that sent {@code event}: its own, the device's pin, else
   * the room's directory as it is now; null when none of them vouches for that device as the named
   * sender's (or the directory cannot be read).
   */
  Future<byte[]> senderKey(RoomEvent event) {
    UUID device = event.senderDevice();
    if (device == null) {
      return Future.succeededFuture(null);
    }
    if (device.equals(ownDevice)) {
      return Future.succeededFuture(ownKey);
    }
    Optional<KeyPins.Pin> pin = pins.get(device);
    if (pin.isPresent()) {
      return Future.succeededFuture(pin.get().user().equals(event.sender()) ? pin.get().key() : null);
    }
    return read(event.room()).recover(e -> Future.succeededFuture(Listing.EMPTY)).map(l -> {
      MemberKeys.Device entry = l.devices().get(device);
      return entry != null && event.sender().equals(l.owners().get(device)) ? entry.key() : null;
    });
  }
}
