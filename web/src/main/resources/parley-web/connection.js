// One WebSocket connection to the gateway (docs/protocol.md §1.2): the handshake as text messages,
// then records as binary messages, requests matched to replies by id, everything else a push.
import { fromUtf8, randomBytes, toHex, utf8 } from './bytes.js';
import { HandshakeError, connInit, finishHandshake, newEphemeralKeys, readServerHello } from './channel.js';

/** The server's identity is not the one pinned for this address (§5): never connect silently. */
export class IdentityChanged extends Error {
  constructor(expected, received) {
    super(`the server identity changed: expected ${expected}, received ${received}`);
    this.expected = expected;
    this.received = received;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

export class Connection {
  /**
   * @param url ws://host:port/ws
   * @param deviceId this browser's device uuid
   * @param checkIdentity async (fingerprint) => void, throws IdentityChanged to abort before f3
   */
  constructor(url, deviceId, checkIdentity) {
    this.url = url;
    this.deviceId = deviceId;
    this.checkIdentity = checkIdentity;
    this.pending = new Map();
    // Request ids are unique per device across connections (docs/protocol.md CHAT_ACTION, Retries).
    this.idPrefix = toHex(randomBytes(6));
    this.nextId = 1;
    this.onPush = () => {};
    this.onClose = () => {};
    this.closed = false;
  }

  /** Handshake up to the checked CONN_OK. Resolves with the server fingerprint. */
  open() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      ws.binaryType = 'arraybuffer';
      this.ws = ws;
      const f1 = connInit(this.deviceId);
      let f2 = null;
      let fingerprint = null;
      let established = false;
      const fail = (error) => {
        if (!established) reject(error);
        this.close();
      };
      ws.onopen = () => ws.send(fromUtf8(f1));
      ws.onclose = (event) => {
        this.closed = true;
        if (!established) reject(new Error(`the connection closed during the handshake (${event.code})`));
        for (const { reject: r } of this.pending.values()) r(new Error('connection closed'));
        this.pending.clear();
        if (established) this.onClose(event);
      };
      ws.onmessage = async (message) => {
        try {
          if (typeof message.data === 'string') {
            // Before CONN_OK a text message is f2 or the server's plaintext failure (HANDSHAKE_FAILED,
            // HANDSHAKE_TIMEOUT, TOO_LARGE...): records are always binary, so the kind tells them apart.
            if (f2 !== null) {
              const status = JSON.parse(message.data);
              throw new HandshakeError(`the server refused the handshake: ${status.data?.sig} ${status.data?.desc ?? ''}`.trim());
            }
            f2 = utf8(message.data);
            const hello = await readServerHello(f1, f2);
            fingerprint = hello.fingerprint;
            await this.checkIdentity(fingerprint);
            const keys = await newEphemeralKeys();
            const done = await finishHandshake(f1, f2, hello.ephemeral, keys);
            this.records = { send: done.send, receive: done.receive };
            ws.send(fromUtf8(done.f3));
            return;
          }
          if (!this.records) throw new HandshakeError('a record before the handshake finished');
          const packet = JSON.parse(fromUtf8(await this.records.receive.open(new Uint8Array(message.data))));
          if (!established) {
            if (packet.type !== 'STATUS' || packet.data?.sig !== 'CONN_OK') throw new HandshakeError('the first record is not CONN_OK');
            established = true;
            resolve(fingerprint);
            return;
          }
          this.dispatch(packet);
        } catch (error) {
          fail(error);
        }
      };
    });
  }

  dispatch(packet) {
    const waiter = packet.id !== undefined ? this.pending.get(packet.id) : undefined;
    if (waiter) {
      this.pending.delete(packet.id);
      clearTimeout(waiter.timer);
      waiter.resolve(packet);
    } else {
      this.onPush(packet);
    }
  }

  /** Sends one request; resolves with its reply packet (replies come in any order). */
  request(type, data = {}) {
    if (this.closed || !this.records) return Promise.reject(new Error('not connected'));
    const id = `${this.idPrefix}-${this.nextId++}`;
    const reply = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${type}: no reply within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
    });
    this.records.send.seal(utf8(JSON.stringify({ type, id, data }))).then(
      (record) => {
        if (!this.closed) this.ws.send(record);
      },
      // Past the record limit (§4): this connection is spent; closing it makes the app reconnect.
      () => this.close());
    return reply;
  }

  close() {
    this.closed = true;
    this.ws?.close();
  }
}

/** A request failed with a STATUS other than the one expected. */
export class StatusError extends Error {
  constructor(packet) {
    super(packet.data?.desc ? `${packet.data.sig}: ${packet.data.desc}` : `${packet.data?.sig ?? packet.type}`);
    this.sig = packet.data?.sig;
    this.packet = packet;
  }
}
