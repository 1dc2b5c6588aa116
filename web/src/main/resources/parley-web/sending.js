// Sealed CHAT_ACTIONs (docs/e2e.md §2): every device of the directory read now, this one included.
import { readDirectory } from './directory.js';
import { expectStatus } from './replies.js';

const KINDS = { send: 'msg.sent', edit: 'msg.edited', delete: 'msg.deleted', pin: 'msg.pinned' };

/** @param session {connection(), user, crypto (DeviceCrypto)} */
export async function seal(session, room, kind, target, text) {
  const { crypto } = session;
  const directory = await readDirectory(session.connection(), room);
  const recipients = [{ device: crypto.device, key: crypto.publicRaw }];
  for (const [device, entry] of directory.devices) {
    if (device !== crypto.device && !entry.changed) recipients.push({ device, key: entry.key });
  }
  return crypto.seal({ room, kind, target, sender: session.user }, text, recipients);
}

/**
 * One CHAT_ACTION. Returns the event it committed as the server would push it: the sending device
 * gets no push of its own events (docs/protocol.md, CHAT_ACTION), so it shows this one.
 */
export async function chatAction(session, room, action, actiondata) {
  const ok = expectStatus(await session.connection().request('CHAT_ACTION', { room, action, actiondata }), 'MSG_OK');
  const data = action === 'send' ? actiondata : { msg: actiondata.msg, content: actiondata.content };
  return { id: ok.event, seq: ok.seq, room, kind: KINDS[action], sender: session.user, sender_device: session.crypto.device, ts: Date.now(), data };
}
