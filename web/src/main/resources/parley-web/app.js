// Parley Web: boots the device, keeps one connection (reconnecting with backoff and resuming the
// session with AUTH_TOKEN), and runs sign-up and log-in. Rooms and messages live in rooms.js.
import { grouped } from './bytes.js';
import { answerCaptchas } from './captcha.js';
import { Connection, IdentityChanged, StatusError } from './connection.js';
import { DeviceCrypto } from './e2e.js';
import { pemFromRaw } from './pem.js';
import { expectStatus, expectType } from './replies.js';
import { Rooms } from './rooms.js';
import { forgetSession, loadDevice, saveSession, serverPin, session as savedSession, setServerPin } from './store.js';
import { $, people, show, showError } from './ui.js';

const RECONNECT_MAX_MS = 15_000;

const app = {
  device: null,
  crypto: null,
  connection: null,
  user: null,
  rooms: null,
  retryMs: 1000,
  stopped: false,
  offeredFingerprint: null,
};

const wsUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;

function setState(text, connected = false) {
  const state = $('connection-state');
  state.textContent = text;
  state.classList.toggle('connected', connected);
}

/** docs/protocol.md §5: trust on first use, then the same key or nothing. */
async function checkIdentity(fingerprint) {
  $('server-fingerprint').textContent = grouped(fingerprint);
  const pinned = serverPin();
  if (!pinned) {
    setServerPin(fingerprint);
    $('first-contact-fingerprint').textContent = grouped(fingerprint);
    show('first-contact');
    return;
  }
  if (pinned !== fingerprint) throw new IdentityChanged(pinned, fingerprint);
}

async function connect() {
  setState('connecting…');
  const connection = new Connection(wsUrl(), app.device.id, checkIdentity);
  try {
    await connection.open();
  } catch (error) {
    if (error instanceof IdentityChanged) {
      app.stopped = true;
      app.offeredFingerprint = error.received;
      $('identity-expected').textContent = grouped(error.expected);
      $('identity-received').textContent = grouped(error.received);
      show('identity-warning');
      setState('refused: identity changed');
      return;
    }
    scheduleReconnect(error);
    return;
  }
  app.connection = connection;
  app.retryMs = 1000;
  connection.onPush = onPush;
  connection.onClose = () => scheduleReconnect(new Error('connection lost'));
  setState('connected', true);
  showError(null);
  const saved = savedSession();
  if (saved) {
    await resume(saved).catch((error) => {
      showError(error);
      showAuth();
    });
  } else if (!app.user) {
    showAuth();
  }
}

function scheduleReconnect(error) {
  if (app.stopped) return;
  app.connection = null;
  setState(`offline, reconnecting… (${error.message})`);
  setTimeout(connect, app.retryMs);
  app.retryMs = Math.min(RECONNECT_MAX_MS, app.retryMs * 2);
}

function onPush(packet) {
  if (packet.type === 'ROOM_EVENT') {
    app.rooms?.onPush(packet.data);
  } else if (packet.type === 'READ_RECEIPT') {
    app.rooms?.onReceipt(packet.data);
  } else if (packet.type === 'STATUS') {
    const sig = packet.data?.sig;
    if (sig === 'LOGGED_OUT' || sig === 'TOKEN_EXPIRED') {
      forgetSession();
      app.user = null;
      showError(new Error(sig === 'LOGGED_OUT' ? 'This browser was logged out.' : 'Your session expired; log in again.'));
      showAuth();
    } else if (sig === 'RECONNECT') {
      app.connection?.close();
    } else if (sig === 'RATE_LIMITED') {
      showError(new Error(`Slow down: the server asks to wait ${packet.data.retry_after_ms ?? ''} ms.`));
    }
  }
}

/** AUTH_TOKEN with the saved token, then the rooms, the open room's missed events and the outbox. */
async function resume(saved) {
  const reply = await app.connection.request('AUTH_TOKEN', { user: saved.user, token: saved.token });
  if (reply.type !== 'STATUS' || reply.data?.sig !== 'LOGIN_OK') {
    forgetSession();
    throw new StatusError(reply);
  }
  await enterChat(reply.data.user);
}

function showAuth() {
  show('chat-view', false);
  show('logout', false);
  $('me').textContent = '';
  show('auth-view');
}

async function enterChat(user) {
  const first = app.user !== user;
  app.user = user;
  $('me').textContent = `signed in as ${user}`;
  show('auth-view', false);
  show('chat-view');
  show('logout');
  if (first || !app.rooms) app.rooms = new Rooms(sessionView);
  await app.rooms.resume();
}

const sessionView = {
  connection: () => {
    if (!app.connection) throw new Error('offline: waiting for the connection');
    return app.connection;
  },
  connected: () => app.connection !== null,
  get user() {
    return app.user;
  },
  get crypto() {
    return app.crypto;
  },
};

/** LOGIN (with a captcha when the server asks), then CHAT_ENCRYPT_C registers this device's key → GEN_TOKEN. */
async function login(id, password, remember) {
  const connection = sessionView.connection();
  const ask = () => connection.request('LOGIN', { id, password, save: remember });
  let reply = await ask();
  if (reply.type === 'CAPTCHA') {
    expectStatus(await answerCaptchas(connection, reply), 'CAPTCHA_OK');
    reply = await ask();
  }
  const { user } = expectStatus(reply, 'LOGIN_OK');
  const tokenReply = await connection.request('CHAT_ENCRYPT_C', { chat_pubkey: pemFromRaw(app.device.publicRaw, 'X25519') });
  const { token } = expectType(tokenReply, 'GEN_TOKEN');
  saveSession({ user, token }, remember);
  await enterChat(user);
}

async function signup(form) {
  const connection = sessionView.connection();
  const reply = await connection.request('SIGNUP', {
    user: form.user, email: form.email, fullname: form.fullname, dob: form.dob, password: form.password,
  });
  expectStatus(await answerCaptchas(connection, reply), 'NEW_ACC_OK');
  await login(form.user, form.password, form.remember);
}

/** Runs a form's action with its button disabled and any failure shown. */
function bind(formId, action) {
  $(formId).addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = $(formId).querySelectorAll('button');
    buttons.forEach((b) => (b.disabled = true));
    showError(null);
    try {
      await action();
    } catch (error) {
      showError(error);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
}

function wire() {
  bind('login-form', () => login($('login-id').value.trim(), $('login-password').value, $('login-remember').checked));
  bind('signup-form', () => signup({
    user: $('signup-user').value.trim(),
    email: $('signup-email').value.trim(),
    fullname: $('signup-fullname').value.trim(),
    dob: $('signup-dob').value,
    password: $('signup-password').value,
    remember: $('signup-remember').checked,
  }));
  bind('new-room', async () => {
    await app.rooms.create(Number($('room-type').value), $('room-name').value.trim(), people($('room-people').value));
    $('room-people').value = '';
    $('room-name').value = '';
  });
  bind('composer', async () => {
    const input = $('message-input');
    const text = input.value;
    input.value = '';
    await app.rooms.open.submit(text);
  });
  bind('add-people', async () => {
    await app.rooms.open.addPeople($('add-people-names').value);
    $('add-people-names').value = '';
  });
  $('cancel-edit').onclick = () => {
    app.rooms.open?.cancelEdit();
    $('message-input').value = '';
  };
  $('load-older').onclick = () => app.rooms.open.loadOlder().catch(showError);
  $('leave-room').onclick = () => app.rooms.open.alter('leave', {}).then(() => app.rooms.refresh()).catch(showError);
  $('delete-room').onclick = () => app.rooms.open.alter('delete', {}).then(() => app.rooms.refresh()).catch(showError);
  $('logout').onclick = async () => {
    try {
      expectStatus(await sessionView.connection().request('LOGOUT', {}), 'LOGOUT_OK');
    } catch (error) {
      showError(error);
    }
    forgetSession();
    app.user = null;
    app.rooms = null;
    showAuth();
  };
  $('trust-new-identity').onclick = () => {
    // Pins exactly the key the warning showed: yet another key warns again.
    setServerPin(app.offeredFingerprint);
    show('identity-warning', false);
    app.stopped = false;
    connect();
  };
}

async function boot() {
  wire();
  app.device = await loadDevice();
  app.crypto = new DeviceCrypto(app.device.keyPair, app.device.publicRaw, app.device.id);
  await connect();
}

boot().catch(showError);
