// Sealed messages (docs/e2e.md): the same bytes as the Java SDK's MessageCrypto, from WebCrypto alone.
import {
  concat, equalBytes, fromBase64, fromUtf8, lengthPrefixed, randomBytes, sha256, toBase64, toHex, utf8, uuidBytes, uuidFromBytes,
} from './bytes.js';

const subtle = crypto.subtle;
const VERSION = 1;
const HEADER_BYTES = 110;
const WRAP_BYTES = 16 + 32 + 16;
const PAD_BLOCK = 64;
const PLAINTEXT_TEXT = 1;
const NO_TARGET = new Uint8Array(16);

/** §2 step 1: what a sealed message is bound to besides its own bytes. */
export function sealContext({ room, kind, target, sender }) {
  return concat(
    lengthPrefixed(utf8('parley-e2e v1 context')),
    uuidBytes(room),
    lengthPrefixed(utf8(kind)),
    target ? uuidBytes(target) : NO_TARGET,
    lengthPrefixed(utf8(sender)));
}

/** type 1 (text) ‖ u32 length ‖ UTF-8 ‖ zeros to a multiple of 64: the server learns lengths in 64-byte steps. */
function pad(text) {
  const bytes = utf8(text);
  const total = Math.ceil((5 + bytes.length) / PAD_BLOCK) * PAD_BLOCK;
  const out = new Uint8Array(total);
  out[0] = PLAINTEXT_TEXT;
  new DataView(out.buffer).setUint32(1, bytes.length);
  out.set(bytes, 5);
  return out;
}

function unpad(padded) {
  if (padded.length < 5 || padded[0] !== PLAINTEXT_TEXT) throw new Error('unknown plaintext type');
  const length = new DataView(padded.buffer, padded.byteOffset).getUint32(1);
  if (length > padded.length - 5) throw new Error('plaintext length out of range');
  if (padded.subarray(5 + length).some((b) => b !== 0)) throw new Error('plaintext padding is not zero');
  return fromUtf8(padded.subarray(5, 5 + length));
}

function parse(bytes) {
  if (bytes.length < 1) throw new Error('empty content');
  if (bytes[0] !== VERSION) throw new Error(`unknown sealed-message version ${bytes[0]}; a newer client sent it`);
  if (bytes.length < HEADER_BYTES + 2 + WRAP_BYTES + 16) throw new Error('content too short for a sealed message');
  if (bytes[1] !== 0) throw new Error('unknown sealed-message flags');
  const n = (bytes[110] << 8) | bytes[111];
  if (n === 0 || bytes.length - 112 < n * WRAP_BYTES + 16) throw new Error('recipient list does not fit the content');
  const wraps = [];
  for (let i = 0; i < n; i++) {
    const at = 112 + i * WRAP_BYTES;
    wraps.push({ device: uuidFromBytes(bytes.subarray(at, at + 16)), wrapped: bytes.slice(at + 16, at + WRAP_BYTES) });
  }
  return {
    header: bytes.slice(0, HEADER_BYTES),
    senderDevice: uuidFromBytes(bytes.subarray(2, 18)),
    senderKey: bytes.slice(18, 50),
    ephemeralKey: bytes.slice(50, 82),
    messageId: bytes.slice(82, 98),
    nonce: bytes.slice(98, 110),
    wraps,
    body: bytes.slice(112 + n * WRAP_BYTES),
  };
}

async function aesGcm(op, rawKey, iv, data, aad) {
  const key = await subtle.importKey('raw', rawKey, 'AES-GCM', false, [op]);
  return new Uint8Array(await subtle[op]({ name: 'AES-GCM', iv, additionalData: aad }, key, data));
}

async function x25519(privateKey, peerRaw) {
  if (peerRaw.length !== 32) throw new Error('not an X25519 public key');
  const peer = await subtle.importKey('raw', peerRaw, { name: 'X25519' }, false, []);
  let shared;
  try {
    shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peer }, privateKey, 256));
  } catch {
    throw new Error('low-order X25519 public key');
  }
  if (equalBytes(shared, new Uint8Array(32))) throw new Error('low-order X25519 public key');
  return shared;
}

async function hkdf(salt, ikm, info, bytes) {
  const key = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, bytes * 8));
}

const digestOf = (ctx, header, body) => sha256(utf8('parley-e2e v1 digest'), ctx, header, body);

/**
 * One device's sealing and opening. {@code keyPair} is its X25519 chat key (the private half may be
 * non-extractable: only deriveBits is needed), {@code publicRaw} the raw public key, {@code device} its id.
 */
export class DeviceCrypto {
  constructor(keyPair, publicRaw, device) {
    this.keyPair = keyPair;
    this.publicRaw = publicRaw;
    this.device = device;
    this.staticSecrets = new Map();
  }

  async staticSecret(peerRaw) {
    const id = toHex(peerRaw);
    if (!this.staticSecrets.has(id)) this.staticSecrets.set(id, await x25519(this.keyPair.privateKey, peerRaw));
    return this.staticSecrets.get(id);
  }

  wrapKey(ikm, ctx, sender, recipient, ephemeral, senderKey, recipientKey) {
    const info = concat(ctx, uuidBytes(sender), uuidBytes(recipient), ephemeral, senderKey, recipientKey);
    return hkdf(utf8('parley-e2e v1 wrap'), ikm, info, 44);
  }

  /** §2: seals {@code text} for {@code recipients} [{device, key (raw 32 bytes)}]; returns base64. */
  async seal(context, text, recipients) {
    if (recipients.length === 0) throw new Error('no recipient device has a chat key');
    const contentKey = randomBytes(32);
    const ephemeral = await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
    const ephemeralPublic = new Uint8Array(await subtle.exportKey('raw', ephemeral.publicKey));
    const nonce = randomBytes(12);
    const header = concat(new Uint8Array([VERSION, 0]), uuidBytes(this.device), this.publicRaw, ephemeralPublic, randomBytes(16), nonce);
    const ctx = sealContext(context);
    const body = await aesGcm('encrypt', contentKey, nonce, pad(text), concat(ctx, header));
    const digest = await digestOf(ctx, header, body);
    const wraps = [];
    for (const r of recipients) {
      const ikm = concat(await x25519(ephemeral.privateKey, r.key), await this.staticSecret(r.key));
      const okm = await this.wrapKey(ikm, ctx, this.device, r.device, ephemeralPublic, this.publicRaw, r.key);
      wraps.push(uuidBytes(r.device), await aesGcm('encrypt', okm.slice(0, 32), okm.slice(32, 44), contentKey, digest));
    }
    const count = new Uint8Array([recipients.length >>> 8, recipients.length & 0xff]);
    return toBase64(concat(header, count, ...wraps, body));
  }

  /**
   * §4: opens a content this device received. Returns {state, text?, reason?, messageId?} with state
   * one of ok, unverified, undecryptable, not-for-this-device.
   */
  async open(context, senderDevice, contentBase64, expectedSenderKey) {
    let sealed;
    try {
      sealed = parse(fromBase64(contentBase64));
    } catch (e) {
      return { state: 'undecryptable', reason: e.message };
    }
    if (senderDevice && sealed.senderDevice !== senderDevice) {
      return { state: 'undecryptable', reason: `sealed by device ${sealed.senderDevice} but delivered as from ${senderDevice}` };
    }
    const mine = sealed.wraps.find((w) => w.device === this.device);
    if (!mine) return { state: 'not-for-this-device' };
    const ctx = sealContext(context);
    const digest = await digestOf(ctx, sealed.header, sealed.body);
    let text;
    try {
      const ikm = concat(await x25519(this.keyPair.privateKey, sealed.ephemeralKey), await this.staticSecret(sealed.senderKey));
      const okm = await this.wrapKey(ikm, ctx, sealed.senderDevice, this.device, sealed.ephemeralKey, sealed.senderKey, this.publicRaw);
      let contentKey;
      try {
        contentKey = await aesGcm('decrypt', okm.slice(0, 32), okm.slice(32, 44), mine.wrapped, digest);
      } catch {
        return { state: 'undecryptable', reason: 'the key wrapped for this device does not open: the message was altered or forged' };
      }
      let padded;
      try {
        padded = await aesGcm('decrypt', contentKey, sealed.nonce, sealed.body, concat(ctx, sealed.header));
      } catch {
        return { state: 'undecryptable', reason: 'the message body does not open: it was altered' };
      }
      text = unpad(padded);
    } catch (e) {
      return { state: 'undecryptable', reason: e.message };
    }
    const messageId = toHex(sealed.messageId);
    if (!expectedSenderKey) {
      return { state: 'unverified', text, messageId, reason: `the sender's device ${senderDevice} is not in this room's key directory` };
    }
    if (!equalBytes(expectedSenderKey, sealed.senderKey)) {
      return { state: 'unverified', text, messageId, reason: `sealed with key ${await chatKeyFingerprint(sealed.senderKey)} but the key directory has ${await chatKeyFingerprint(expectedSenderKey)}` };
    }
    return { state: 'ok', text, messageId };
  }
}

/** docs/e2e.md §1: the first 16 bytes of SHA-256 over the raw key, hex in groups of four. */
export async function chatKeyFingerprint(raw) {
  return toHex((await sha256(raw)).subarray(0, 16)).match(/.{4}/g).join(' ');
}
