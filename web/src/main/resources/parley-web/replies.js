// Replies a request expects; anything else is the server's STATUS, thrown as a StatusError.
import { StatusError } from './connection.js';

export function expectStatus(reply, sig) {
  if (reply.type !== 'STATUS' || reply.data?.sig !== sig) throw new StatusError(reply);
  return reply.data;
}

export function expectType(reply, type) {
  if (reply.type !== type) throw new StatusError(reply);
  return reply.data;
}
