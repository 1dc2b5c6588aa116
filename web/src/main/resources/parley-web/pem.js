// Public keys as PEM SubjectPublicKeyInfo (docs/protocol.md §2.2): a fixed 12-byte DER prefix, then
// the raw 32-byte key.
import { concat, fromBase64, toBase64, equalBytes } from './bytes.js';

const PREFIX = {
  X25519: Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]),
  Ed25519: Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]),
};

export function pemFromRaw(raw, algorithm) {
  const der = concat(PREFIX[algorithm], raw);
  const body = toBase64(der).match(/.{1,64}/g).join('\n');
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`;
}

/** The raw 32-byte key of a PEM of the given algorithm; throws naming what is wrong. */
export function rawFromPem(pem, algorithm) {
  const match = /^\s*-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END PUBLIC KEY-----\s*$/.exec(pem ?? '');
  if (!match) throw new Error('not one PUBLIC KEY PEM block');
  const der = fromBase64(match[1].replace(/[\r\n]/g, ''));
  if (der.length !== 44 || !equalBytes(der.subarray(0, 12), PREFIX[algorithm])) {
    throw new Error(`not an ${algorithm} public key`);
  }
  return der.slice(12);
}

export const derFromRaw = (raw, algorithm) => concat(PREFIX[algorithm], raw);
