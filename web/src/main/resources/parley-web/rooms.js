// The room list and the open conversation: ROOM_LIST with unread counts, ROOM_INFO as the key
// directory, SYNC_ROOM_REQ for history, catch-up and scrollback, ROOM_EVENT pushes, and the sealed
// CHAT_ACTIONs (docs/e2e.md) for send, edit, delete and pin.
import { fromHex, toHex } from './bytes.js';
import { StatusError } from './connection.js';
import { chatKeyFingerprint } from './e2e.js';
import { rawFromPem } from './pem.js';
import { devicePins, saveDevicePins } from './store.js';
import { $, el, people, show, showError } from './ui.js';

const PAGE = 50;
const ROOM_TYPES = ['direct', 'group', 'channel'];

function expectStatus(reply, sig) {
  if (reply.type !== 'STATUS' || reply.data?.sig !== sig) throw new StatusError(reply);
  return reply.data;
}

function expectType(reply, type) {
  if (reply.type !== type) throw new StatusError(reply);
  return reply.data;
}

export class Rooms {
  /** @param session {connection(), user, crypto (DeviceCrypto)} */
  constructor(session) {
    this.session = session;
    this.rooms = new Map();
    this.open = null;
    this.outbox = [];
    this.editing = null;
  }

  get connection() {
    return this.session.connection();
  }

  get me() {
    return this.session.user;
  }

  request(type, data) {
    return this.connection.request(type, data);
  }

  // ------------------------------------------------------------ room list

  async refresh() {
    const { rooms } = expectType(await this.request('ROOM_LIST', {}), 'ROOM_LIST');
    this.rooms = new Map(rooms.map((r) => [r.room, r]));
    const list = $('room-list');
    list.replaceChildren(...rooms.map((r) => this.roomItem(r)));
    if (this.open && !this.rooms.has(this.open.id)) this.close();
  }

  roomItem(room) {
    const unread = this.open?.id === room.room ? 0 : room.unread;
    return el('li', { id: `room-${room.room}`, class: `room${this.open?.id === room.room ? ' open' : ''}`, 'data-name': room.name, onclick: () => this.openRoom(room.room) },
      el('span', { class: 'name' }, `${room.name}${room.type === 0 ? '' : ` (${ROOM_TYPES[room.type]})`}`),
      el('span', { class: 'unread' }, unread > 0 ? String(unread) : ''));
  }

  redrawRoom(id) {
    const room = this.rooms.get(id);
    if (room) $(`room-${id}`)?.replaceWith(this.roomItem(room));
  }

  async create(type, name, names) {
    const data = { 'room-type': type, people: names };
    if (name) data['room-name'] = name;
    const { room } = expectStatus(await this.request('CREATE_ROOM', data), 'ROOM_OK');
    await this.refresh();
    await this.openRoom(room);
  }

  // ------------------------------------------------------------ one conversation

  close() {
    this.open = null;
    show('conversation', false);
  }

  async openRoom(id) {
    this.open = { id, seen: new Set(), lastSeq: 0, lastId: null, firstId: null, queue: Promise.resolve(), later: new Map() };
    this.cancelEdit();
    for (const item of document.querySelectorAll('.room')) item.classList.toggle('open', item.id === `room-${id}`);
    $('messages').replaceChildren();
    show('conversation');
    const directory = await this.directory(id);
    this.renderHeader(id, directory);
    const page = expectType(await this.request('SYNC_ROOM_REQ', { room: id, count: PAGE }), 'SYNC_ROOM_DATA');
    show('load-older', page.more);
    for (const event of page.events) this.enqueue(event);
    await this.open.queue;
    await this.markRead();
  }

  renderHeader(id, directory) {
    const room = this.rooms.get(id);
    $('room-title').textContent = room ? room.name : id;
    const myRole = directory.members.find((m) => m.user === this.me)?.role;
    const managed = room && room.type !== 0;
    $('room-members').replaceChildren(...directory.members.map((m) => this.memberItem(m, managed ? myRole : null)));
    show('add-people', managed && (myRole === 'owner' || myRole === 'admin'));
    show('leave-room', managed);
    show('delete-room', myRole === 'owner');
    // In a channel only owners and admins post (docs/protocol.md §8.2): members read.
    const readOnly = room?.type === 2 && myRole === 'member';
    show('composer', !readOnly);
    show('read-only', readOnly);
    const warnings = $('room-warnings');
    warnings.textContent = directory.warnings.join(' ');
    warnings.hidden = directory.warnings.length === 0;
  }

  /** One member with the role changes the permission matrix lets {@code myRole} try (the server decides). */
  memberItem(member, myRole) {
    const item = el('li', { class: 'member', 'data-user': member.user }, el('span', { class: 'who' }, `${member.user} (${member.role})`));
    if (!myRole || member.user === this.me) return item;
    const button = (label, action) => el('button', { type: 'button', class: action, onclick: () => this.changeMember(action, member.user).catch(showError) }, label);
    if (myRole === 'owner' && member.role !== 'owner') item.append(button(member.role === 'member' ? 'Make admin' : 'Make owner', 'promote'));
    if (myRole === 'owner' && member.role !== 'member') item.append(button(member.role === 'owner' ? 'Make admin' : 'Make member', 'demote'));
    if ((myRole === 'owner' && member.role !== 'owner') || (myRole === 'admin' && member.role === 'member')) item.append(button('Remove', 'remove'));
    return item;
  }

  async changeMember(action, user) {
    await this.alter(action, { user });
    await this.refreshHeader();
  }

  async refreshHeader() {
    if (this.open) this.renderHeader(this.open.id, await this.directory(this.open.id));
  }

  /**
   * ROOM_INFO read afresh: every member device with its key. The first key seen for a device is
   * pinned; a changed key is reported and that device gets no wraps (docs/e2e.md §5).
   */
  async directory(room) {
    const info = expectType(await this.request('ROOM_INFO', { room }), 'ROOM_INFO');
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
        if (!pin) {
          pins[d.device] = { user: member.user, key: toHex(key) };
          pinned = true;
        } else if (pin.key !== toHex(key)) {
          warnings.push(`The chat key of ${member.user}'s device ${d.device} changed to ${await chatKeyFingerprint(key)}; it gets no messages from this browser.`);
          devices.set(d.device, { user: member.user, key, changed: true });
          continue;
        }
        devices.set(d.device, { user: member.user, key, changed: false });
      }
    }
    if (pinned) saveDevicePins(pins);
    return { members: info.members, devices, warnings };
  }

  /** The key this browser trusts for a sender's device: its pin, else none. */
  expectedKey(device, user) {
    const pin = devicePins()[device];
    return pin && pin.user === user ? fromHex(pin.key) : null;
  }

  // ------------------------------------------------------------ events

  /** Events of the open room are shown one at a time, in seq order, each once. */
  enqueue(event) {
    const open = this.open;
    open.queue = open.queue.then(() => this.show(open, event)).catch((e) => showError(e));
    return open.queue;
  }

  async show(open, event) {
    if (this.open !== open || open.seen.has(event.id)) return;
    open.seen.add(event.id);
    if (event.seq > open.lastSeq) {
      open.lastSeq = event.seq;
      open.lastId = event.id;
    }
    open.firstId ??= event.id;
    const node = await this.render(event);
    if (node) $('messages').append(node);
    $('messages').scrollTop = $('messages').scrollHeight;
  }

  async render(event) {
    const data = event.data ?? {};
    switch (event.kind) {
      case 'msg.sent':
        return this.renderMessage(event);
      case 'msg.edited':
        return this.modify(data.msg, async (node) => {
          if (data.deleted) return;
          const opened = await this.decrypt(event, data.msg, data.content);
          this.setText(node, opened);
          node.querySelector('.flags').textContent = 'edited';
        });
      case 'msg.deleted':
        return this.modify(data.msg, (node) => {
          node.classList.add('deleted');
          node.querySelector('.text').textContent = 'message deleted';
          node.querySelector('.actions').replaceChildren();
        });
      case 'msg.pinned':
        return this.modify(data.msg, (node) => {
          node.classList.add('pinned');
          node.querySelector('.flags').textContent = `pinned by ${event.sender}`;
        });
      default:
        return el('li', { class: 'event' }, describe(event));
    }
  }

  /** Applies a change to a message shown now, or when scrollback brings it. */
  modify(msg, change) {
    const node = document.getElementById(`msg-${msg}`);
    if (node) return Promise.resolve(change(node)).then(() => null);
    const later = this.open.later.get(msg) ?? [];
    later.push(change);
    this.open.later.set(msg, later);
    return null;
  }

  async renderMessage(event) {
    const mine = event.sender === this.me;
    const node = el('li', { id: `msg-${event.id}`, class: `msg${mine ? ' mine' : ''}`, 'data-seq': String(event.seq) },
      el('span', { class: 'actions' }),
      el('span', { class: 'sender' }, event.sender),
      el('span', { class: 'text' }),
      el('span', { class: 'flags' }));
    if (event.data?.deleted) {
      node.classList.add('deleted');
      node.querySelector('.text').textContent = 'message deleted';
    } else {
      this.setText(node, await this.decrypt(event, null, event.data?.content));
      this.addActions(node, event.id, mine);
    }
    for (const change of this.open.later.get(event.id) ?? []) await change(node);
    this.open.later.delete(event.id);
    return node;
  }

  addActions(node, msg, mine) {
    const actions = node.querySelector('.actions');
    if (mine) {
      actions.append(el('button', { type: 'button', class: 'edit', onclick: () => this.startEdit(msg, node) }, 'Edit'));
      actions.append(el('button', { type: 'button', class: 'delete', onclick: () => this.act('delete', { msg }).catch(showError) }, 'Delete'));
    }
    actions.append(el('button', { type: 'button', class: 'pin', onclick: () => this.act('pin', { msg }).catch(showError) }, 'Pin'));
  }

  setText(node, opened) {
    const text = node.querySelector('.text');
    node.classList.toggle('unverified', opened.state === 'unverified');
    node.dataset.state = opened.state;
    if (opened.state === 'ok') text.textContent = opened.text;
    else if (opened.state === 'unverified') text.textContent = `[UNVERIFIED SENDER: ${opened.reason}] ${opened.text}`;
    else if (opened.state === 'not-for-this-device') text.textContent = '[not encrypted for this device]';
    else text.textContent = `[cannot decrypt: ${opened.reason}]`;
    if (opened.state === 'ok') node.dataset.text = opened.text;
  }

  decrypt(event, target, content) {
    const context = { room: event.room, kind: event.kind, target, sender: event.sender };
    return this.session.crypto.open(context, event.sender_device, content, this.expectedKey(event.sender_device, event.sender));
  }

  /** A live push: shown if its room is open (catching up first after a gap), else counted as unread. */
  onPush(event) {
    // Members, roles, names and deletions change the list and the open room's header.
    const membership = event.kind.startsWith('member.') || (event.kind.startsWith('room.') && event.kind !== 'room.created');
    if (membership) {
      this.refresh().then(() => (this.open?.id === event.room ? this.refreshHeader() : null)).catch(showError);
    }
    if (this.open?.id === event.room) {
      if (event.seq > this.open.lastSeq + 1) {
        this.catchUp().then(() => this.markRead()).catch(showError);
      } else {
        this.enqueue(event).then(() => this.markRead());
      }
      return;
    }
    const room = this.rooms.get(event.room);
    if (!room) {
      this.refresh().catch(showError);
      return;
    }
    room.last_seq = Math.max(room.last_seq, event.seq);
    if (event.kind === 'msg.sent' && event.sender !== this.me) {
      room.unread += 1;
      this.redrawRoom(event.room);
    }
  }

  /** Shows "read by" under the newest message at or before the member's read pointer (it may name a non-message event). */
  onReceipt({ room, seq, user }) {
    if (this.open?.id !== room || user === this.me) return;
    for (const old of document.querySelectorAll(`.read-by-${CSS.escape(user)}`)) old.remove();
    const read = [...document.querySelectorAll('#messages .msg[data-seq]')].filter((m) => Number(m.dataset.seq) <= seq).pop();
    read?.append(el('span', { class: `receipt read-by-${user}` }, ` ✓ read by ${user}`));
  }

  /** SYNC_ROOM_REQ after the last event shown, page by page while more (after a gap or a reconnect). */
  async catchUp() {
    const open = this.open;
    if (!open) return;
    await open.queue;
    for (let pages = 0; pages < 1000 && this.open === open; pages++) {
      const data = { room: open.id, count: PAGE, direction: 'after' };
      if (open.lastId) data.from = open.lastId;
      const page = expectType(await this.request('SYNC_ROOM_REQ', data), 'SYNC_ROOM_DATA');
      for (const event of page.events) this.enqueue(event);
      await open.queue;
      if (!page.more || page.events.length === 0) return;
    }
  }

  /** Scrollback: the page before the oldest event shown, put above it. */
  async loadOlder() {
    const open = this.open;
    const page = expectType(await this.request('SYNC_ROOM_REQ', { room: open.id, count: PAGE, from: open.firstId, direction: 'before' }), 'SYNC_ROOM_DATA');
    const nodes = [];
    for (const event of page.events) {
      if (open.seen.has(event.id)) continue;
      open.seen.add(event.id);
      const node = await this.render(event);
      if (node) nodes.push(node);
    }
    if (page.events.length > 0) open.firstId = page.events[0].id;
    $('messages').prepend(...nodes);
    show('load-older', page.more);
  }

  async markRead() {
    const open = this.open;
    if (!open?.lastId) return;
    const room = this.rooms.get(open.id);
    if (room) {
      room.unread = 0;
      this.redrawRoom(open.id);
    }
    await this.request('READ_RECEIPT', { room: open.id, msg: open.lastId });
  }

  // ------------------------------------------------------------ sending

  /** Seals for every device of the directory read now, this one included (docs/e2e.md §2). */
  async seal(room, kind, target, text) {
    const directory = await this.directory(room);
    const recipients = [{ device: this.session.crypto.device, key: this.session.crypto.publicRaw }];
    for (const [device, entry] of directory.devices) {
      if (device !== this.session.crypto.device && !entry.changed) recipients.push({ device, key: entry.key });
    }
    return this.session.crypto.seal({ room, kind, target, sender: this.me }, text, recipients);
  }

  async submit(text) {
    if (this.editing) {
      const msg = this.editing;
      this.cancelEdit();
      await this.act('edit', { msg, content: await this.seal(this.open.id, 'msg.edited', msg, text) });
      return;
    }
    if (!this.session.connected()) {
      this.queueOffline(this.open.id, text);
      return;
    }
    await this.send(this.open.id, text);
  }

  async send(room, text) {
    const content = await this.seal(room, 'msg.sent', null, text);
    await this.act('send', { format: 'msg-text', content }, room);
  }

  /** A CHAT_ACTION; on MSG_OK the sending device shows its own event (it gets no push of it). */
  async act(action, actiondata, room = this.open.id) {
    const ok = expectStatus(await this.request('CHAT_ACTION', { room, action, actiondata }), 'MSG_OK');
    if (this.open?.id !== room) return;
    const kind = { send: 'msg.sent', edit: 'msg.edited', delete: 'msg.deleted', pin: 'msg.pinned' }[action];
    const data = action === 'send' ? actiondata : { msg: actiondata.msg, content: actiondata.content };
    const event = { id: ok.event, seq: ok.seq, room, kind, sender: this.me, sender_device: this.session.crypto.device, ts: Date.now(), data };
    if (ok.seq > this.open.lastSeq + 1) await this.catchUp();
    await this.enqueue(event);
  }

  startEdit(msg, node) {
    this.editing = msg;
    show('editing');
    $('message-input').value = node.dataset.text ?? '';
    $('message-input').focus();
  }

  cancelEdit() {
    this.editing = null;
    show('editing', false);
  }

  /** Typed while offline: shown as pending, sent in order once the connection is back. */
  queueOffline(room, text) {
    const node = el('li', { class: 'msg mine pending' }, el('span', { class: 'sender' }, this.me), el('span', { class: 'text' }, text), el('span', { class: 'flags' }, 'waiting for the connection'));
    $('messages').append(node);
    this.outbox.push({ room, text, node });
  }

  async flushOutbox() {
    while (this.outbox.length > 0) {
      const { room, text, node } = this.outbox[0];
      await this.send(room, text);
      node.remove();
      this.outbox.shift();
    }
  }

  // ------------------------------------------------------------ membership

  /** ALTER_ROOM on the open room; its events are not pushed to this device, so they are fetched. */
  async alter(action, actiondata) {
    expectStatus(await this.request('ALTER_ROOM', { action, actiondata: { room: this.open.id, ...actiondata } }), 'ROOM_OK');
    if (action !== 'leave' && action !== 'delete') await this.catchUp();
  }

  async addPeople(text) {
    await this.alter('add', { people: people(text) });
    await this.refreshHeader();
  }
}

function describe(event) {
  const d = event.data ?? {};
  switch (event.kind) {
    case 'room.created': return `${event.sender} created the room`;
    case 'room.renamed': return `${event.sender} renamed the room to ${d.name}`;
    case 'room.deleted': return `${event.sender} deleted the room`;
    case 'member.added': return `${event.sender} added ${d.user}`;
    case 'member.removed': return `${event.sender} removed ${d.user}`;
    case 'member.left': return `${d.user} left`;
    case 'member.promoted': return `${event.sender} made ${d.user} ${d.role}`;
    case 'member.demoted': return `${event.sender} made ${d.user} ${d.role}`;
    case 'key.saved': return `${event.sender} published a device key`;
    default: return `${event.kind} by ${event.sender}`;
  }
}
