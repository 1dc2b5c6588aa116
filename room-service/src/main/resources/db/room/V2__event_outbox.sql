-- Events of committed room changes not yet in the room's log (message service). A change and its
-- events commit together; OutboxRelay appends them in position order per room and deletes each once
-- the message service acknowledged it. Position order is commit order within a room: a room's
-- changes hold its row lock until they commit, and a created room is invisible until then.
CREATE TABLE outbox (
  position        bigserial   PRIMARY KEY,
  event_id        uuid        NOT NULL UNIQUE,
  room_id         uuid        NOT NULL,
  body            jsonb       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text
);
CREATE INDEX outbox_by_room ON outbox (room_id, position);
