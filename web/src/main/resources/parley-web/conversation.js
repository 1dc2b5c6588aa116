// The open room: its header (members, roles, what this person may do), its events in seq order —
// history, live pushes, catch-up after a gap, scrollback — and the actions on its messages.
import { expectedKey, readDirectory } from './directory.js';
import { expectStatus, expectType } from './replies.js';
import { chatAction, seal } from './sending.js';
import { $, el, people, show, showError } from './ui.js';

const PAGE = 50;

export class Conversation {
  /**
   * @param session {connection(), connected(), user, crypto}
   * @param list the Rooms it belongs to (room names and types, unread counts, the outbox)
   */
  constructor(session, list, id) {
    this.session = session;
    this.list = list;
    this.id = id;
    this.seen = new Set();
    this.lastSeq = 0;
    this.lastId = null;
    this.firstId = null;
    this.queue = Promise.resolve();
    /** Changes (edit, delete, pin) to messages scrollback has not brought yet. */
    this.later = new Map();
    this.editing = null;
    this.closed = false;
  }

  get me() {
    return this.session.user;
  }

  request(type, data) {
    return this.session.connection().request(type, data);
  }

  /** The header and the latest page of events. */
  async load() {
    this.cancelEdit();
    $('messages').replaceChildren();
    show('conversation');
    await this.refreshHeader();
    const page = expectType(await this.request('SYNC_ROOM_REQ', { room: this.id, count: PAGE }), 'SYNC_ROOM_DATA');
    show('load-older', page.more);
    for (const event of page.events) this.enqueue(event);
    await this.queue;
    await this.markRead();
  }

  close() {
    this.closed = true;
    show('conversation', false);
  }

  // ------------------------------------------------------------ header

  async refreshHeader() {
    const directory = await readDirectory(this.session.connection(), this.id);
    if (!this.closed) this.renderHeader(directory);
  }

  renderHeader(directory) {
    const room = this.list.rooms.get(this.id);
    $('room-title').textContent = room ? room.name : this.id;
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

  /** One member, with the role changes the permission matrix lets {@code myRole} try (the server decides). */
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

  /** ALTER_ROOM on this room; its events are not pushed to this device, so they are fetched. */
  async alter(action, actiondata) {
    expectStatus(await this.request('ALTER_ROOM', { action, actiondata: { room: this.id, ...actiondata } }), 'ROOM_OK');
    if (action !== 'leave' && action !== 'delete') await this.catchUp();
  }

  async addPeople(text) {
    await this.alter('add', { people: people(text) });
    await this.refreshHeader();
  }

  // ------------------------------------------------------------ events

  /** Events are shown one at a time, in seq order, each once. */
  enqueue(event) {
    this.queue = this.queue.then(() => this.show(event)).catch((e) => showError(e));
    return this.queue;
  }

  async show(event) {
    if (this.closed || this.seen.has(event.id)) return;
    this.seen.add(event.id);
    if (event.seq > this.lastSeq) {
      this.lastSeq = event.seq;
      this.lastId = event.id;
    }
    this.firstId ??= event.id;
    const node = await this.render(event);
    if (node && !this.closed) $('messages').append(node);
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
          this.setText(node, await this.decrypt(event, data.msg, data.content));
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
    const later = this.later.get(msg) ?? [];
    later.push(change);
    this.later.set(msg, later);
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
    for (const change of this.later.get(event.id) ?? []) await change(node);
    this.later.delete(event.id);
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
    return this.session.crypto.open(context, event.sender_device, content, expectedKey(event.sender_device, event.sender));
  }

  /** A live push for this room: shown, after catching up first when it follows a gap. */
  onPush(event) {
    const shown = event.seq > this.lastSeq + 1 ? this.catchUp() : this.enqueue(event);
    shown.then(() => this.markRead()).catch(showError);
  }

  /** Shows "read by" under the newest message at or before the member's read pointer (it may name a non-message event). */
  onReceipt({ seq, user }) {
    if (user === this.me) return;
    for (const old of document.querySelectorAll(`.read-by-${CSS.escape(user)}`)) old.remove();
    const read = [...document.querySelectorAll('#messages .msg[data-seq]')].filter((m) => Number(m.dataset.seq) <= seq).pop();
    read?.append(el('span', { class: `receipt read-by-${user}` }, ` ✓ read by ${user}`));
  }

  /** SYNC_ROOM_REQ after the last event shown, page by page while more (after a gap or a reconnect). */
  async catchUp() {
    await this.queue;
    for (let pages = 0; pages < 1000 && !this.closed; pages++) {
      const data = { room: this.id, count: PAGE, direction: 'after' };
      if (this.lastId) data.from = this.lastId;
      const page = expectType(await this.request('SYNC_ROOM_REQ', data), 'SYNC_ROOM_DATA');
      for (const event of page.events) this.enqueue(event);
      await this.queue;
      if (!page.more || page.events.length === 0) return;
    }
  }

  /** Scrollback: the page before the oldest event shown, put above it. */
  async loadOlder() {
    const page = expectType(await this.request('SYNC_ROOM_REQ', { room: this.id, count: PAGE, from: this.firstId, direction: 'before' }), 'SYNC_ROOM_DATA');
    const nodes = [];
    for (const event of page.events) {
      if (this.seen.has(event.id)) continue;
      this.seen.add(event.id);
      const node = await this.render(event);
      if (node) nodes.push(node);
    }
    if (page.events.length > 0) this.firstId = page.events[0].id;
    $('messages').prepend(...nodes);
    show('load-older', page.more);
  }

  async markRead() {
    if (!this.lastId || this.closed) return;
    this.list.markedRead(this.id);
    await this.request('READ_RECEIPT', { room: this.id, msg: this.lastId });
  }

  // ------------------------------------------------------------ actions

  async submit(text) {
    if (this.editing) {
      const msg = this.editing;
      this.cancelEdit();
      await this.act('edit', { msg, content: await seal(this.session, this.id, 'msg.edited', msg, text) });
    } else {
      await this.list.send(this.id, text);
    }
  }

  /** A CHAT_ACTION; this device shows its own event (it gets no push of it). */
  async act(action, actiondata) {
    await this.showOwn(await chatAction(this.session, this.id, action, actiondata));
  }

  async showOwn(event) {
    if (event.seq > this.lastSeq + 1) await this.catchUp();
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
