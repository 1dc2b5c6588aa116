// The secure channel, client side (docs/protocol.md §2–§4): handshake frames, key schedule and
// records. Knows nothing of WebSockets: it turns bytes into bytes, so the same code runs against the
// test vectors of §6.
import { equalBytes, fromBase64, fromUtf8, randomBytes, sha256, toBase64, toHex, u32be, utf8 } from './bytes.js';
import { derFromRaw, pemFromRaw, rawFromPem } from './pem.js';

const subtle = crypto.subtle;
const SIGNATURE_CONTEXT = utf8('parley-v1 server signature');
/** docs/protocol.md §4: each direction carries at most 2^24 records. */
export const MAX_RECORDS = 2 ** 24;

export class HandshakeError extends Error {}

/** f1: CONN_INIT, compact JSON with the keys in the order of §2.1 (the vectors depend on it). */
export function connInit(deviceId, nonce = randomBytes(32)) {
  return utf8(JSON.stringify({ type: 'CONN_INIT', data: { uuid: deviceId, token: null, nonce: toBase64(nonce) } }));
}

/** The server identity fingerprint (§5): hex of SHA-256 over the raw Ed25519 key. */
export const fingerprintOf = async (rawIdentityKey) => toHex(await sha256(rawIdentityKey));

/**
 * Checks f2 (§2.2, client processing): a STATUS frame is the server refusing the handshake; otherwise
 * the signature must verify over f1 and the server's ephemeral key. Returns the server's keys and the
 * identity fingerprint, which the caller checks against its pin before {@link finishHandshake}.
 */
export async function readServerHello(f1, f2) {
  let frame;
  try {
    frame = JSON.parse(fromUtf8(f2));
  } catch {
    throw new HandshakeError('the server sent a handshake frame that is not JSON');
  }
  if (frame?.type === 'STATUS') {
    throw new HandshakeError(`the server refused the handshake: ${frame.data?.sig} ${frame.data?.desc ?? ''}`.trim());
  }
  if (frame?.type !== 'CONN_ENCRYPT_S') throw new HandshakeError(`expected CONN_ENCRYPT_S, got ${frame?.type}`);
  const ephemeral = rawFromPem(frame.data?.server_epbkey, 'X25519');
  const identity = rawFromPem(frame.data?.server_idkey, 'Ed25519');
  const sig = fromBase64(frame.data?.sig ?? '');
  if (sig.length !== 64) throw new HandshakeError('CONN_ENCRYPT_S.sig is not 64 bytes');
  const digest = await sha256(SIGNATURE_CONTEXT, new Uint8Array([0]), await sha256(f1), ephemeral);
  const idKey = await subtle.importKey('spki', derFromRaw(identity, 'Ed25519'), { name: 'Ed25519' }, false, ['verify']);
  if (!(await subtle.verify({ name: 'Ed25519' }, idKey, sig, digest))) {
    throw new HandshakeError('the server signature does not verify');
  }
  return { ephemeral, identity, fingerprint: await fingerprintOf(identity) };
}

/**
 * f3 and the key schedule (§2.3, §3). {@code clientKeys} is a fresh X25519 CryptoKeyPair (tests pass
 * a fixed one). Returns f3 and the two record directions.
 */
export async function finishHandshake(f1, f2, serverEphemeral, clientKeys) {
  const clientPublic = new Uint8Array(await subtle.exportKey('raw', clientKeys.publicKey));
  const f3 = utf8(JSON.stringify({ type: 'CONN_ENCRYPT_C', data: { client_epbkey: pemFromRaw(clientPublic, 'X25519') } }));
  const peer = await subtle.importKey('raw', serverEphemeral, { name: 'X25519' }, false, []);
  let shared;
  try {
    shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peer }, clientKeys.privateKey, 256));
  } catch {
    throw new HandshakeError('the server ephemeral key is a low-order point');
  }
  if (equalBytes(shared, new Uint8Array(32))) throw new HandshakeError('the server ephemeral key is a low-order point');
  const th = await sha256(u32be(f1.length), f1, u32be(f2.length), f2, u32be(f3.length), f3);
  const ikm = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const expand = async (label, bytes) =>
    new Uint8Array(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: th, info: utf8(label) }, ikm, bytes * 8));
  const secrets = {
    c2sKey: await expand('parley-v1 c2s key', 32),
    c2sIv: await expand('parley-v1 c2s iv', 12),
    s2cKey: await expand('parley-v1 s2c key', 32),
    s2cIv: await expand('parley-v1 s2c iv', 12),
  };
  return {
    f3,
    transcriptHash: th,
    secrets,
    send: await RecordDirection.create(secrets.c2sKey, secrets.c2sIv),
    receive: await RecordDirection.create(secrets.s2cKey, secrets.s2cIv),
  };
}

export const newEphemeralKeys = () => subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);

/**
 * One direction's AES-256-GCM records with the implicit counter of §4. Calls are serialised: WebCrypto
 * is asynchronous, and record n must be sealed (or opened) with counter n whatever order promises settle in.
 */
export class RecordDirection {
  static async create(rawKey, iv) {
    const key = await subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt', 'decrypt']);
    return new RecordDirection(key, iv);
  }

  constructor(key, iv) {
    this.key = key;
    this.iv = iv;
    this.seq = 0;
    this.queue = Promise.resolve();
  }

  nonce(seq) {
    const nonce = Uint8Array.from(this.iv);
    let n = BigInt(seq);
    for (let i = 11; i >= 4; i--) {
      nonce[i] ^= Number(n & 0xffn);
      n >>= 8n;
    }
    return nonce;
  }

  seal(plaintext) {
    return this.serialised(async () => {
      const iv = this.nonce(this.take());
      return new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, this.key, plaintext));
    });
  }

  open(record) {
    return this.serialised(async () => {
      if (record.length < 16) throw new Error('a record shorter than its tag');
      const iv = this.nonce(this.take());
      return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv }, this.key, record));
    });
  }

  take() {
    if (this.seq >= MAX_RECORDS) throw new Error('record limit reached; reconnect');
    return this.seq++;
  }

  serialised(work) {
    const result = this.queue.then(work);
    // A failure stays with its caller; the queue goes on (the connection is closed on any failure anyway).
    this.queue = result.catch(() => {});
    return result;
  }
}

