// What this browser keeps: its device id and X25519 chat key in IndexedDB (the private key as a
// non-extractable CryptoKey: page scripts can use it but never read it), and in localStorage the
// server's pinned fingerprint, the device keys pinned on first sight, and the session token when
// "remember me" was ticked (sessionStorage otherwise).

const DB = 'parley';
const STORE = 'keys';

function database() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact(mode, work) {
  const db = await database();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** This browser's device: {id, keyPair, publicRaw}; created on first use. */
export async function loadDevice() {
  const existing = await transact('readonly', (s) => s.get('device'));
  if (existing) return existing;
  const keyPair = await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  const publicRaw = new Uint8Array(await crypto.subtle.exportKey('raw', keyPair.publicKey));
  const device = { id: crypto.randomUUID(), keyPair, publicRaw };
  await transact('readwrite', (s) => s.put(device, 'device'));
  return device;
}

const json = (storage, key) => {
  try {
    return JSON.parse(storage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
};

export const serverPin = () => localStorage.getItem('parley.server-fingerprint');
export const setServerPin = (fingerprint) => localStorage.setItem('parley.server-fingerprint', fingerprint);

export const session = () => json(localStorage, 'parley.session') ?? json(sessionStorage, 'parley.session');
export function saveSession(value, remember) {
  forgetSession();
  (remember ? localStorage : sessionStorage).setItem('parley.session', JSON.stringify(value));
}
export function forgetSession() {
  localStorage.removeItem('parley.session');
  sessionStorage.removeItem('parley.session');
}

/** docs/e2e.md §5: the first key seen for each device, as hex. */
export const devicePins = () => json(localStorage, 'parley.device-pins') ?? {};
export const saveDevicePins = (pins) => localStorage.setItem('parley.device-pins', JSON.stringify(pins));
