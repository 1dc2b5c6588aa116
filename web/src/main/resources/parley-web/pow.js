// The proof-of-work captcha (docs/protocol.md SIGNUP, kind "pow"): find s in [0-9a-z] such that
// SHA-256(challenge ‖ UTF-8(s)) starts with `difficulty` zero bits, trying 0, 1, … in base 36 like the SDK.
import { leadingZeroBits, sha256 } from './sha256.js';

const MAX_TRIES = 2 ** 40;

export function solve(challenge, difficulty, onProgress = () => {}, progressEvery = 4096) {
  const encoder = new TextEncoder();
  const input = new Uint8Array(challenge.length + 64);
  input.set(challenge);
  for (let n = 0; n < MAX_TRIES; n++) {
    const candidate = n.toString(36);
    const written = encoder.encodeInto(candidate, input.subarray(challenge.length)).written;
    if (leadingZeroBits(sha256(input.subarray(0, challenge.length + written)), difficulty)) return candidate;
    if (n % progressEvery === 0) onProgress(n);
  }
  throw new Error('no proof of work found');
}
