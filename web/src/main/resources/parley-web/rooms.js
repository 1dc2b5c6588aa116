// The room list (ROOM_LIST with unread counts, kept current by pushes), the open conversation, and
// the outbox of messages typed while offline.
import { Conversation } from './conversation.js';
import { expectStatus, expectType } from './replies.js';
import { chatAction, seal } from './sending.js';
import { $, el, showError } from './ui.js';

const ROOM_TYPES = ['direct', 'group', 'channel'];

export class Rooms {
  /** @param session {connection(), connected(), user, crypto (DeviceCrypto)} */
  constructor(session) {
    this.session = session;
    this.rooms = new Map();
    /** The open Conversation, or null. */
    this.open = null;
    this.outbox = [];
  }

  async refresh() {
    const { rooms } = expectType(await this.session.connection().request('ROOM_LIST', {}), 'ROOM_LIST');
    this.rooms = new Map(rooms.map((r) => [r.room, r]));
    $('room-list').replaceChildren(...rooms.map((r) => this.roomItem(r)));
    if (this.open && !this.rooms.has(this.open.id)) this.closeRoom();
  }

  roomItem(room) {
    const open = this.open?.id === room.room;
    const unread = open ? 0 : room.unread;
    return el('li', { id: `room-${room.room}`, class: `room${open ? ' open' : ''}`, 'data-name': room.name, onclick: () => this.openRoom(room.room).catch(showError) },
      el('span', { class: 'name' }, `${room.name}${room.type === 0 ? '' : ` (${ROOM_TYPES[room.type]})`}`),
      el('span', { class: 'unread' }, unread > 0 ? String(unread) : ''));
  }

  redrawRoom(id) {
    const room = this.rooms.get(id);
    if (room) $(`room-${id}`)?.replaceWith(this.roomItem(room));
  }

  markedRead(id) {
    const room = this.rooms.get(id);
    if (room) {
      room.unread = 0;
      this.redrawRoom(id);
    }
  }

  async create(type, name, names) {
    const data = { 'room-type': type, people: names };
    if (name) data['room-name'] = name;
    const { room } = expectStatus(await this.session.connection().request('CREATE_ROOM', data), 'ROOM_OK');
    await this.refresh();
    await this.openRoom(room);
  }

  async openRoom(id) {
    this.open?.close();
    this.open = new Conversation(this.session, this, id);
    for (const item of document.querySelectorAll('.room')) item.classList.toggle('open', item.id === `room-${id}`);
    await this.open.load();
  }

  closeRoom() {
    this.open?.close();
    this.open = null;
  }

  /** A live push: to the open conversation, or counted as unread; membership changes refresh the list. */
  onPush(event) {
    const membership = event.kind.startsWith('member.') || (event.kind.startsWith('room.') && event.kind !== 'room.created');
    if (membership) {
      this.refresh().then(() => (this.open?.id === event.room ? this.open.refreshHeader() : null)).catch(showError);
    }
    if (this.open?.id === event.room) {
      this.open.onPush(event);
      return;
    }
    const room = this.rooms.get(event.room);
    if (!room) {
      this.refresh().catch(showError);
      return;
    }
    room.last_seq = Math.max(room.last_seq, event.seq);
    if (event.kind === 'msg.sent' && event.sender !== this.session.user) {
      room.unread += 1;
      this.redrawRoom(event.room);
    }
  }

  onReceipt(receipt) {
    if (this.open?.id === receipt.room) this.open.onReceipt(receipt);
  }

  /** Sends now, or keeps the message in the outbox while offline. */
  async send(room, text) {
    if (!this.session.connected()) {
      this.queueOffline(room, text);
      return;
    }
    const event = await chatAction(this.session, room, 'send', { format: 'msg-text', content: await seal(this.session, room, 'msg.sent', null, text) });
    if (this.open?.id === room) await this.open.showOwn(event);
  }

  /** Typed while offline: shown as pending, sent in order once the connection is back. */
  queueOffline(room, text) {
    const node = el('li', { class: 'msg mine pending' }, el('span', { class: 'sender' }, this.session.user), el('span', { class: 'text' }, text), el('span', { class: 'flags' }, 'waiting for the connection'));
    $('messages').append(node);
    this.outbox.push({ room, text, node });
  }

  async flushOutbox() {
    while (this.outbox.length > 0 && this.session.connected()) {
      const { room, text, node } = this.outbox[0];
      await this.send(room, text);
      node.remove();
      this.outbox.shift();
    }
  }

  /** After a reconnect: the list, then what the open room missed, then the outbox. */
  async resume() {
    await this.refresh();
    if (this.open) await this.open.catchUp();
    await this.flushOutbox();
  }
}
