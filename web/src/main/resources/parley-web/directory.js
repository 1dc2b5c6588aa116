// A room's key directory (ROOM_INFO) and the device keys this browser pinned (docs/e2e.md §5).
import { fromHex, toHex } from './bytes.js';
import { chatKeyFingerprint } from './e2e.js';
import { rawFromPem } from './pem.js';
import { expectType } from './replies.js';
import { devicePins, saveDevicePins } from './store.js';

/**
 * ROOM_INFO read afresh: {members, devices: Map(device → {user, key, changed}), warnings}. The first
 * key seen for a device is pinned; a changed key is reported, marked changed, and gets no wraps.
 */
export async function readDirectory(connection, room) {
  const info = expectType(await connection.request('ROOM_INFO', { room }), 'ROOM_INFO');
  const pins = devicePins();
  let pinned = false;
  const devices = new Map();
  const warnings = [];
  for (const member of info.members) {
    for (const d of member.devices ?? []) {
      let key;
      try {
        key = rawFromPem(d.chat_pubkey, 'X25519');
      } catch {
        continue;
      }
      const pin = pins[d.device];
      let changed = false;
      if (!pin) {
        pins[d.device] = { user: member.user, key: toHex(key) };
        pinned = true;
      } else if (pin.key !== toHex(key)) {
        warnings.push(`The chat key of ${member.user}'s device ${d.device} changed to ${await chatKeyFingerprint(key)}; it gets no messages from this browser.`);
        changed = true;
      }
      devices.set(d.device, { user: member.user, key, changed });
    }
  }
  if (pinned) saveDevicePins(pins);
  return { members: info.members, devices, warnings };
}

/** The key this browser trusts for a sender's device: its pin, else none (the message shows as unverified). */
export function expectedKey(device, user) {
  const pin = devicePins()[device];
  return pin && pin.user === user ? fromHex(pin.key) : null;
}
